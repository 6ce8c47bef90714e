#include "kinds/planning/prepared.hpp"

#include "config/schema.hpp"
#include "core/error.hpp"
#include "io/matpower.hpp"
#include "kinds/planning/feeder.hpp"

namespace evs::kinds::planning {

PreparedStudy prepare(const config::Study& study) {
  const Options& o = study.options<Options>();
  config::ParseContext ctx;
  ctx.file = study.source_file;
  ctx.key_lines = study.key_lines;
  PreparedStudy p;
  p.options = o;
  p.seed = static_cast<std::uint64_t>(study.sweep.seed);
  try {
    FeederEquivalent eq = distflow_equivalent(build_grid_network(read_matpower_case(o.grid.case_file)));
    p.grid = std::move(eq.net);
    p.boost = std::move(eq.boost);
    p.regulators = eq.regulators;
    p.charging_dropped = eq.charging_dropped;
    for (size_t i = 0; i < o.areas.size(); ++i)
      for (double b : o.areas[i].buses)
        if (p.grid.index_of(static_cast<int>(b)) < 0)
          ctx.error_key("areas[" + std::to_string(i) + "].buses",
                        "bus " + config::format_number(b) + " is not in " + o.grid.case_file);
  } catch (const InputError& e) {
    ctx.error_key("grid.case", e.what());
  }
  if (!ctx.errors.empty()) throw config::ConfigError(ctx.errors);
  return p;
}

}  // namespace evs::kinds::planning
