#include "kinds/sue_dispatch/options.hpp"

#include <algorithm>

#include "config/section_schemas.hpp"

namespace evs::kinds::sue_dispatch {

using namespace evs::config;

config::Schema<Options> options_schema() {
  config::Schema<Options> s;
  s.section("grid", &Options::grid, grid_schema(true), "Distribution feeder")
      .section("traffic", &Options::traffic, traffic_schema(), "Road network and traffic assignment")
      .list("stations", &Options::stations, station_schema(), "Charging stations and their grid coupling")
      .section("ev", &Options::ev, ev_schema(), "Electric vehicles")
      .section("profiles", &Options::profiles, profile_schema(), "Daily profiles, one value per period")
      .section("resources", &Options::resources, resource_schema(), "Distributed resources on the feeder")
      .section("dispatch", &Options::dispatch, dispatch_schema(), "Multi-period dispatch");
  return s;
}

const std::vector<std::string>& stage_names() {
  static const std::vector<std::string> names = {"traffic", "dispatch"};
  return names;
}

void check_options(const config::Study& study, config::ParseContext& ctx) {
  const auto& o = study.options<Options>();
  const auto& p = o.profiles;
  for (auto [values, key] : {std::pair{&p.base_load, "base_load"}, {&p.traffic_demand, "traffic_demand"},
                             {&p.pv, "pv"}, {&p.wind, "wind"}, {&p.tariff, "tariff"},
                             {&p.export_price, "export_price"}})
    if (!values->empty() && static_cast<int>(values->size()) != p.periods)
      ctx.error_key(std::string("profiles.") + key,
                    "has " + std::to_string(values->size()) + " values but profiles.periods is " +
                        std::to_string(p.periods));
  std::vector<std::string> names;
  for (size_t i = 0; i < o.stations.size(); ++i) {
    if (std::find(names.begin(), names.end(), o.stations[i].name) != names.end())
      ctx.error_key("stations[" + std::to_string(i) + "].name", "duplicate station name '" + o.stations[i].name + "'");
    names.push_back(o.stations[i].name);
  }
  if (study.study.stages.empty()) ctx.error_key("study.stages", "needs at least one stage (traffic, dispatch)");
  config::check_grid(o.grid, ctx);
  config::check_traffic(o.traffic, ctx);
  if (o.grid.export_rule == "price") {
    if (p.export_price.empty())
      ctx.error_key("grid.export", "'price' needs profiles.export_price (one value per period)");
    for (std::size_t t = 0; t < p.export_price.size() && t < p.tariff.size(); ++t)
      if (o.dispatch.tariff == "table" && p.export_price[t] > p.tariff[t]) {
        ctx.error_key("profiles.export_price", "period " + std::to_string(t) + ": " +
                                                   config::format_number(p.export_price[t]) +
                                                   " is above the tariff " + config::format_number(p.tariff[t]) +
                                                   " (import and export could then grow without bound)");
        break;
      }
  }
  config::check_resources(o.resources, ctx);
}

}  // namespace evs::kinds::sue_dispatch
