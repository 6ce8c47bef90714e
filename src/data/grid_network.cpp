#include "data/grid_network.hpp"

#include <cmath>
#include <numbers>
#include <queue>
#include <string>
#include <unordered_map>

#include "core/error.hpp"

namespace evs {

namespace {

void require_finite(double v, const GridCase& c, int line, const char* field) {
  if (!std::isfinite(v)) throw InputError({c.source_file, line, field}, "value must be finite, got " + std::to_string(v));
}

}  // namespace

int GridNetwork::index_of(int external_id) const {
  for (int i = 0; i < num_buses(); ++i)
    if (bus_id[i] == external_id) return i;
  return -1;
}

GridNetwork build_grid_network(const GridCase& c, bool extra_sources_as_pv) {
  GridNetwork net;
  net.name = c.name;
  net.source_file = c.source_file;
  if (!(c.base_mva > 0) || !std::isfinite(c.base_mva))
    throw InputError({c.source_file, 0, "baseMVA"}, "must be a positive number");
  net.base_mva = c.base_mva;
  if (c.buses.empty()) throw InputError({c.source_file, 0, "mpc.bus"}, "the case has no buses");

  std::unordered_map<int, int> index;
  int slack = -1;
  for (const auto& b : c.buses) {
    if (b.type == BusType::isolated) continue;
    if (!index.emplace(b.id, net.num_buses()).second)
      throw InputError({c.source_file, b.line, "bus_i"}, "duplicate bus number " + std::to_string(b.id));
    for (auto [v, f] : {std::pair{b.pd_mw, "Pd"}, {b.qd_mvar, "Qd"}, {b.gs_mw, "Gs"}, {b.bs_mvar, "Bs"},
                        {b.vm_pu, "Vm"}, {b.va_deg, "Va"}, {b.vmax_pu, "Vmax"}, {b.vmin_pu, "Vmin"}})
      require_finite(v, c, b.line, f);
    if (b.vmin_pu > b.vmax_pu)
      throw InputError({c.source_file, b.line, "Vmin"}, "Vmin " + std::to_string(b.vmin_pu) + " exceeds Vmax " +
                                                              std::to_string(b.vmax_pu));
    if (b.vm_pu <= 0) throw InputError({c.source_file, b.line, "Vm"}, "voltage magnitude must be positive");
    BusType type = b.type;
    if (b.type == BusType::ref) {
      if (slack >= 0) {
        if (!extra_sources_as_pv) {
          std::string refs;
          for (const auto& o : c.buses)
            if (o.type == BusType::ref)
              refs += (refs.empty() ? "" : ", ") + std::to_string(o.id) + " (line " + std::to_string(o.line) + ")";
          throw InputError({c.source_file, b.line, "type"},
                           "several reference buses (type 3): " + refs +
                               ". The studies' dispatch models a radial feeder fed from one substation (one voltage "
                               "reference, one purchase point); keep one as type 3 and model the other sources as "
                               "generators (type 2 buses, or resources in the study). 'evsweep pf' accepts them: the "
                               "first is the reference, the others voltage-controlled sources");
        }
        type = BusType::pv;
        net.notes.push_back("bus " + std::to_string(b.id) + " (line " + std::to_string(b.line) +
                            "): a second reference bus, solved as a voltage-controlled source (PV)");
      } else {
        slack = net.num_buses();
      }
    }
    net.bus_id.push_back(b.id);
    net.bus_type.push_back(type);
    net.pd.push_back(b.pd_mw / c.base_mva);
    net.qd.push_back(b.qd_mvar / c.base_mva);
    net.gs.push_back(b.gs_mw / c.base_mva);
    net.bs.push_back(b.bs_mvar / c.base_mva);
    net.vmin.push_back(b.vmin_pu);
    net.vmax.push_back(b.vmax_pu);
    net.vm0.push_back(b.vm_pu);
    net.va0.push_back(b.va_deg * std::numbers::pi / 180.0);
    net.base_kv.push_back(b.base_kv);
  }
  if (slack < 0) throw InputError({c.source_file, 0, "mpc.bus type"}, "no reference bus (type 3)");
  net.slack = slack;

  auto lookup = [&](int id, int line, const char* field) {
    auto it = index.find(id);
    if (it == index.end())
      throw InputError({c.source_file, line, field}, "unknown or isolated bus " + std::to_string(id));
    return it->second;
  };

  for (size_t k = 0; k < c.gens.size(); ++k) {
    const auto& g = c.gens[k];
    const int bus = lookup(g.bus, g.line, "gen bus");
    for (auto [v, f] : {std::pair{g.pg_mw, "Pg"}, {g.qg_mvar, "Qg"}, {g.vg_pu, "Vg"}})
      require_finite(v, c, g.line, f);
    if (!g.in_service) continue;
    NetGen ng;
    ng.bus = bus;
    ng.pg = g.pg_mw / c.base_mva;
    ng.qg = g.qg_mvar / c.base_mva;
    ng.qmin = g.qmin_mvar / c.base_mva;
    ng.qmax = g.qmax_mvar / c.base_mva;
    ng.pmin = g.pmin_mw / c.base_mva;
    ng.pmax = g.pmax_mw / c.base_mva;
    ng.vg = g.vg_pu;
    ng.record = static_cast<int>(k);
    net.gens.push_back(ng);
    // Generator voltage set-points fix the magnitude at PV and reference buses.
    if (net.bus_type[bus] != BusType::pq) net.vm0[bus] = g.vg_pu;
  }

  for (size_t k = 0; k < c.branches.size(); ++k) {
    const auto& br = c.branches[k];
    const int f = lookup(br.from_bus, br.line, "fbus");
    const int t = lookup(br.to_bus, br.line, "tbus");
    for (auto [v, fld] : {std::pair{br.r_pu, "r"}, {br.x_pu, "x"}, {br.b_pu, "b"}, {br.rate_a_mva, "rateA"},
                          {br.tap_ratio, "ratio"}, {br.shift_deg, "angle"}})
      require_finite(v, c, br.line, fld);
    if (!br.in_service) continue;
    if (br.r_pu < 0) throw InputError({c.source_file, br.line, "r"}, "negative resistance");
    if (br.rate_a_mva < 0) throw InputError({c.source_file, br.line, "rateA"}, "negative flow limit");
    if (br.tap_ratio < 0) throw InputError({c.source_file, br.line, "ratio"}, "negative tap ratio");
    if (br.r_pu == 0 && br.x_pu == 0)
      throw InputError({c.source_file, br.line, "r, x"}, "zero impedance branch " + std::to_string(br.from_bus) +
                                                              "-" + std::to_string(br.to_bus));
    if (f == t) throw InputError({c.source_file, br.line, "tbus"}, "branch connects bus to itself");
    NetBranch nb;
    nb.from = f;
    nb.to = t;
    nb.r = br.r_pu;
    nb.x = br.x_pu;
    nb.b = br.b_pu;
    nb.tap = br.tap_ratio == 0 ? 1.0 : br.tap_ratio;
    nb.shift_rad = br.shift_deg * std::numbers::pi / 180.0;
    nb.rate_pu = br.rate_a_mva / c.base_mva;
    nb.record = static_cast<int>(k);
    net.branches.push_back(nb);
  }

  // Connectivity and radial structure by breadth-first search from the slack.
  const int n = net.num_buses();
  std::vector<std::vector<std::pair<int, int>>> adj(n);  // [bus] (neighbour, branch)
  for (int k = 0; k < net.num_branches(); ++k) {
    adj[net.branches[k].from].push_back({net.branches[k].to, k});
    adj[net.branches[k].to].push_back({net.branches[k].from, k});
  }
  RadialTree& tree = net.tree;
  tree.parent.assign(n, -1);
  tree.parent_branch.assign(n, -1);
  std::vector<char> seen(n, 0);
  std::queue<int> queue;
  queue.push(slack);
  seen[slack] = 1;
  while (!queue.empty()) {
    const int u = queue.front();
    queue.pop();
    tree.order.push_back(u);
    for (auto [v, k] : adj[u]) {
      if (seen[v]) continue;
      seen[v] = 1;
      tree.parent[v] = u;
      tree.parent_branch[v] = k;
      queue.push(v);
    }
  }
  for (int i = 0; i < n; ++i) {
    if (!seen[i]) {
      int line = 0;
      for (const auto& b : c.buses)
        if (b.id == net.bus_id[i]) line = b.line;
      throw InputError({c.source_file, line, "bus " + std::to_string(net.bus_id[i])},
                       "bus is not connected to the reference bus " + std::to_string(net.bus_id[slack]) +
                           " by in-service branches (disconnected feeder)");
    }
  }
  tree.is_radial = net.num_branches() == n - 1;
  if (!tree.is_radial) {
    tree.parent.clear();
    tree.parent_branch.clear();
  }
  return net;
}

}  // namespace evs
