#include "kinds/conav/ctm.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <queue>

#include "core/error.hpp"

namespace evs::kinds::conav {

using grid::Expression;
using grid::QcqpModel;

std::vector<int> CellNetwork::road_cells() const {
  std::vector<int> out;
  for (int a = 0; a < num_cells(); ++a)
    if (cells[a].kind == CellKind::road) out.push_back(a);
  return out;
}

CellNetwork build_cell_network(const RoadNetwork& road, const CellParameters& p, const std::vector<int>& station_nodes,
                               const std::vector<int>& terminal_nodes) {
  if (!(p.tau_min > 0)) throw InputError({road.source_file, 0, "tau_min"}, "the step tau must be positive");
  for (int node : station_nodes)
    if (node < 1 || node > road.num_nodes)
      throw InputError({road.source_file, 0, "station node"}, "node " + std::to_string(node) + " is not in the network");
  for (int node : terminal_nodes)
    if (node < 1 || node > road.num_nodes)
      throw InputError({road.source_file, 0, "terminal node"}, "node " + std::to_string(node) + " is not in the network");
  CellNetwork net;
  net.tau_min = p.tau_min;
  const double big = 1e6;
  auto add_cell = [&](Cell c) {
    net.cells.push_back(c);
    return net.num_cells() - 1;
  };
  auto add_edge = [&](int from, int to) {
    net.edge_from.push_back(from);
    net.edge_to.push_back(to);
  };
  // Road cells, link by link.
  net.link_cells.resize(road.links.size());
  for (std::size_t l = 0; l < road.links.size(); ++l) {
    const RoadLink& link = road.links[l];
    const double t0_min = link.free_flow_time * p.time_unit_min;
    const int k = std::max(1, static_cast<int>(std::lround(t0_min / p.tau_min)));
    if (t0_min < p.tau_min) net.rounded_links.push_back({static_cast<int>(l), t0_min, k * p.tau_min, k * p.tau_min - t0_min});
    for (int i = 0; i < k; ++i) {
      Cell c;
      c.link = static_cast<int>(l);
      c.position = i;
      c.q_veh = p.q_veh > 0 ? p.q_veh : link.capacity * p.tau_min / 60.0;
      c.n_veh = p.n_veh > 0 ? p.n_veh : p.jam_density_veh_per_km * link.length * p.length_unit_km / k;
      c.delta = p.delta;
      net.link_cells[l].push_back(add_cell(c));
    }
    for (int i = 0; i + 1 < k; ++i) add_edge(net.link_cells[l][i], net.link_cells[l][i + 1]);
  }
  const double q_special = p.q_veh > 0 ? p.q_veh : big;
  for (std::size_t s = 0; s < station_nodes.size(); ++s) {
    Cell c;
    c.kind = CellKind::station;
    c.node = station_nodes[s];
    c.station = static_cast<int>(s);
    c.q_veh = p.station_q_veh > 0 ? p.station_q_veh : q_special;
    c.n_veh = p.station_n_veh;
    c.delta = p.delta;
    net.station_cells.push_back(add_cell(c));
  }
  for (int node : terminal_nodes) {
    Cell c;
    c.kind = CellKind::terminal;
    c.node = node;
    c.q_veh = p.terminal_q_veh > 0 ? p.terminal_q_veh : q_special;
    c.n_veh = p.terminal_n_veh;
    c.delta = p.delta;
    net.terminal_cells.push_back(add_cell(c));
  }
  // Junctions: merge and diverge where links meet.
  for (std::size_t l = 0; l < road.links.size(); ++l) {
    const RoadLink& in = road.links[l];
    const int last = net.link_cells[l].back();
    std::vector<int> outs;
    for (std::size_t m = 0; m < road.links.size(); ++m)
      if (road.links[m].from_node == in.to_node && road.links[m].to_node != in.from_node) outs.push_back(static_cast<int>(m));
    if (outs.empty())  // a dead end: the U-turn is the only way on
      for (std::size_t m = 0; m < road.links.size(); ++m)
        if (road.links[m].from_node == in.to_node) outs.push_back(static_cast<int>(m));
    for (int m : outs) add_edge(last, net.link_cells[m].front());
    for (int s : net.station_cells)
      if (net.cells[s].node == in.to_node) add_edge(last, s);
    for (int d : net.terminal_cells)
      if (net.cells[d].node == in.to_node) add_edge(last, d);
  }
  for (int s : net.station_cells)
    for (std::size_t m = 0; m < road.links.size(); ++m)
      if (road.links[m].from_node == net.cells[s].node) add_edge(s, net.link_cells[m].front());
  net.out_edges.assign(net.cells.size(), {});
  net.in_edges.assign(net.cells.size(), {});
  for (int e = 0; e < net.num_edges(); ++e) {
    net.out_edges[net.edge_from[e]].push_back(e);
    net.in_edges[net.edge_to[e]].push_back(e);
  }
  return net;
}

std::string rounded_links_warning(const RoadNetwork& road, const CellNetwork& net) {
  if (net.rounded_links.empty()) return "";
  char head[128];
  std::snprintf(head, sizeof head, "%zu links are shorter than one step of %g min and take one cell (travel-time error):",
                net.rounded_links.size(), net.tau_min);
  std::string text = head;
  double total = 0;
  for (const auto& r : net.rounded_links) {
    const RoadLink& l = road.links[r.link];
    char buf[128];
    std::snprintf(buf, sizeof buf, " %d->%d +%.2f min;", l.from_node, l.to_node, r.error_min);
    text += buf;
    total += r.error_min;
  }
  char buf[96];
  std::snprintf(buf, sizeof buf, " total +%.2f min", total);
  return text + buf;
}

std::vector<double> background_flow(const RoadNetwork& road, const OdMatrix& trips, const CellNetwork& net,
                                    double time_unit_min, double scale) {
  std::vector<double> link_flow(road.links.size(), 0.0);  // [link] veh/h
  std::vector<std::vector<int>> out(road.num_nodes + 1);   // [node] link ids
  for (std::size_t l = 0; l < road.links.size(); ++l) out[road.links[l].from_node].push_back(static_cast<int>(l));
  for (int origin = 1; origin <= road.num_nodes; ++origin) {
    bool any = false;
    for (const auto& e : trips.entries) any |= e.origin == origin;
    if (!any) continue;
    std::vector<double> dist(road.num_nodes + 1, std::numeric_limits<double>::infinity());
    std::vector<int> pred(road.num_nodes + 1, -1);  // [node] link into it
    using Item = std::pair<double, int>;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
    dist[origin] = 0;
    heap.push({0, origin});
    while (!heap.empty()) {
      const auto [d, u] = heap.top();
      heap.pop();
      if (d > dist[u]) continue;
      if (u != origin && u < road.first_thru_node) continue;  // zones are not passed through
      for (int l : out[u]) {
        const int v = road.links[l].to_node;
        const double nd = d + road.links[l].free_flow_time * time_unit_min;
        if (nd < dist[v]) {
          dist[v] = nd;
          pred[v] = l;
          heap.push({nd, v});
        }
      }
    }
    for (const auto& e : trips.entries) {
      if (e.origin != origin || pred[e.destination] < 0) continue;
      for (int v = e.destination; v != origin; v = road.links[pred[v]].from_node) link_flow[pred[v]] += e.flow * scale;
    }
  }
  std::vector<double> bg(net.cells.size(), 0.0);
  for (std::size_t l = 0; l < net.link_cells.size(); ++l)
    for (int a : net.link_cells[l]) bg[a] = link_flow[l] * net.tau_min / 60.0;
  return bg;
}

CtmIds add_ctm(QcqpModel& m, const CtmProblem& pb) {
  const CellNetwork& net = *pb.net;
  const int S = static_cast<int>(pb.initial.size()), T = pb.steps, A = net.num_cells(), E = net.num_edges();
  auto bg = [&](int a) { return pb.background.empty() ? 0.0 : pb.background[a]; };
  CtmIds ids;
  ids.n.assign(S, std::vector<std::vector<int>>(T + 1, std::vector<int>(A, -1)));
  ids.y.assign(S, std::vector<std::vector<int>>(T, std::vector<int>(E, -1)));
  auto name = [](const char* what, int s, int t, int i) {
    return std::string(what) + "[" + std::to_string(s) + "," + std::to_string(t) + "," + std::to_string(i) + "]";
  };
  for (int s = 0; s < S; ++s) {
    for (int a = 0; a < A; ++a) {
      const double n0 = pb.initial[s][a];
      ids.n[s][0][a] = m.add_variable(n0, n0, n0, name("n", s, 0, a));
    }
    for (int t = 0; t < T; ++t) {
      for (int e = 0; e < E; ++e) ids.y[s][t][e] = m.add_variable(0, QcqpModel::inf, 0, name("y", s, t, e));
      for (int a = 0; a < A; ++a) ids.n[s][t + 1][a] = m.add_variable(0, QcqpModel::inf, 0, name("n", s, t + 1, a));
    }
  }
  for (int t = 0; t < T; ++t)
    for (int a = 0; a < A; ++a) {
      const Cell& c = net.cells[a];
      const double room_q = std::max(0.0, c.q_veh - bg(a));
      Expression sent, received, hold;
      for (int s = 0; s < S; ++s) {
        Expression balance, send_own;  // n[t+1] - n[t] - in + out = 0;  out - n[t] <= 0
        balance.add(ids.n[s][t + 1][a], 1).add(ids.n[s][t][a], -1);
        send_own.add(ids.n[s][t][a], -1);
        for (int e : net.in_edges[a]) {
          balance.add(ids.y[s][t][e], -1);
          received.add(ids.y[s][t][e], 1);
          hold.add(ids.y[s][t][e], 1);
        }
        for (int e : net.out_edges[a]) {
          balance.add(ids.y[s][t][e], 1);
          send_own.add(ids.y[s][t][e], 1);
          sent.add(ids.y[s][t][e], 1);
        }
        const double arriving = pb.inflow_at(s, t, a);
        m.add_constraint(balance, arriving, arriving, name("ctm_balance", s, t, a));
        if (!net.out_edges[a].empty()) m.add_constraint(send_own, -QcqpModel::inf, 0, name("ctm_send", s, t, a));
        hold.add(ids.n[s][t][a], c.delta);
      }
      if (!net.out_edges[a].empty()) m.add_constraint(sent, -QcqpModel::inf, room_q, name("ctm_out_q", 0, t, a));
      if (!net.in_edges[a].empty()) {
        m.add_constraint(received, -QcqpModel::inf, room_q, name("ctm_in_q", 0, t, a));
        m.add_constraint(hold, -QcqpModel::inf, c.delta * std::max(0.0, c.n_veh - bg(a)), name("ctm_room", 0, t, a));
      }
    }
  if (pb.hold_cost > 0)
    for (int s = 0; s < S; ++s)
      for (int t = 0; t < T; ++t)
        for (int a = 0; a < A; ++a) {
          if (net.cells[a].kind != CellKind::road) continue;
          m.objective().add(ids.n[s][t][a], pb.hold_cost);
          for (int e : net.out_edges[a]) m.objective().add(ids.y[s][t][e], -pb.hold_cost);
        }
  for (int s = 0; s < S && s < static_cast<int>(pb.road_time_cost.size()); ++s) {
    if (pb.road_time_cost[s] == 0) continue;
    for (int t = 1; t <= T; ++t)
      for (int a = 0; a < A; ++a)
        if (net.cells[a].kind == CellKind::road) m.objective().add(ids.n[s][t][a], pb.road_time_cost[s]);
  }
  return ids;
}

CtmValues ctm_values(const CtmIds& ids, const std::vector<double>& x) {
  CtmValues v;
  auto take = [&](const std::vector<std::vector<std::vector<int>>>& id) {
    std::vector<std::vector<std::vector<double>>> out(id.size());
    for (std::size_t s = 0; s < id.size(); ++s)
      for (const auto& row : id[s]) {
        out[s].emplace_back();
        for (int k : row) out[s].back().push_back(x[k]);
      }
    return out;
  };
  v.n = take(ids.n);
  v.y = take(ids.y);
  return v;
}

double holding_share(const CtmProblem& pb, const CtmValues& v) {
  const CellNetwork& net = *pb.net;
  const int S = static_cast<int>(v.n.size()), T = pb.steps;
  auto bg = [&](int a) { return pb.background.empty() ? 0.0 : pb.background[a]; };
  double held = 0, total = 0;
  for (int t = 0; t < T; ++t)
    for (int a = 0; a < net.num_cells(); ++a) {
      if (net.cells[a].kind != CellKind::road) continue;
      double present = 0, sent = 0;
      for (int s = 0; s < S; ++s) {
        present += v.n[s][t][a];
        for (int e : net.out_edges[a]) sent += v.y[s][t][e];
      }
      total += present;
      const double stayed = present - sent;
      if (stayed <= 1e-6) continue;
      const double send_room = std::max(0.0, net.cells[a].q_veh - bg(a)) - sent;
      double receive_room = 0;  // the most any child could still have taken
      for (int e : net.out_edges[a]) {
        const int b = net.edge_to[e];
        const Cell& c = net.cells[b];
        double in = 0, held_b = 0;
        for (int s = 0; s < S; ++s) {
          held_b += v.n[s][t][b];
          for (int f : net.in_edges[b]) in += v.y[s][t][f];
        }
        const double room = std::min(std::max(0.0, c.q_veh - bg(b)) - in, c.delta * (c.n_veh - bg(b) - held_b) - in);
        receive_room = std::max(receive_room, room);
      }
      const double could = std::min({stayed, send_room, receive_room});
      if (could > 1e-6) held += could;
    }
  return total > 0 ? held / total : 0.0;
}

double conservation_error(const CtmProblem& pb, const CtmValues& v) {
  const CellNetwork& net = *pb.net;
  double worst = 0;
  for (std::size_t s = 0; s < v.n.size(); ++s)
    for (int t = 0; t < pb.steps; ++t) {
      double before = 0, after = 0;
      for (int a = 0; a < net.num_cells(); ++a) {
        double change = v.n[s][t + 1][a] - v.n[s][t][a] - pb.inflow_at(static_cast<int>(s), t, a);
        before += pb.inflow_at(static_cast<int>(s), t, a);
        for (int e : net.in_edges[a]) change -= v.y[s][t][e];
        for (int e : net.out_edges[a]) change += v.y[s][t][e];
        worst = std::max(worst, std::abs(change));
        before += v.n[s][t][a];
        after += v.n[s][t + 1][a];
      }
      worst = std::max(worst, std::abs(after - before));
    }
  return worst;
}

}  // namespace evs::kinds::conav
