#include "grid/powerflow.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "grid/powerflow_detail.hpp"

namespace evs::grid {

std::unique_ptr<PowerFlowSolver> make_newton_solver(const GridNetwork& net);  // backend/petsc_newton.cpp
std::unique_ptr<PowerFlowSolver> make_sweep_solver(const GridNetwork& net);   // sweep.cpp

std::string to_string(PfMethod m) { return m == PfMethod::newton ? "newton" : "sweep"; }

PfMethod pf_method_from_string(const std::string& name) {
  if (name == "newton") return PfMethod::newton;
  if (name == "sweep") return PfMethod::sweep;
  throw std::invalid_argument("unknown power-flow method '" + name + "' (newton, sweep)");
}

PfInjections injections_from_network(const GridNetwork& net) {
  PfInjections inj;
  const int n = net.num_buses();
  inj.s_net.assign(n, cplx{});
  for (int i = 0; i < n; ++i) inj.s_net[i] = -cplx(net.pd[i], net.qd[i]);
  for (const auto& g : net.gens) inj.s_net[g.bus] += cplx(g.pg, g.qg);
  inj.vm_set = net.vm0;
  return inj;
}

std::unique_ptr<PowerFlowSolver> make_power_flow_solver(const GridNetwork& net, PfMethod method) {
  return method == PfMethod::newton ? make_newton_solver(net) : make_sweep_solver(net);
}

PfResult solve_power_flow(const GridNetwork& net, PfMethod method, const PfOptions& options) {
  return make_power_flow_solver(net, method)->solve(injections_from_network(net), options);
}

PfSummary summarize(const GridNetwork& net, const PfResult& r) {
  PfSummary s;
  if (r.vm.empty()) return s;
  int imin = 0, imax = 0;
  for (int i = 0; i < net.num_buses(); ++i) {
    if (r.vm[i] < r.vm[imin]) imin = i;
    if (r.vm[i] > r.vm[imax]) imax = i;
  }
  s.vmin_pu = r.vm[imin];
  s.vmax_pu = r.vm[imax];
  s.vmin_bus = net.bus_id[imin];
  s.vmax_bus = net.bus_id[imax];
  cplx loss{};
  for (const auto& l : r.loss) loss += l;
  s.loss_mw = loss.real() * net.base_mva;
  s.loss_mvar = loss.imag() * net.base_mva;
  s.slack_p_mw = r.s_slack.real() * net.base_mva;
  s.slack_q_mvar = r.s_slack.imag() * net.base_mva;
  for (int k = 0; k < net.num_branches(); ++k) {
    const double rate = net.branches[k].rate_pu;
    if (rate > 0) s.max_line_loading = std::max(s.max_line_loading, std::max(std::abs(r.s_from[k]), std::abs(r.s_to[k])) / rate);
  }
  return s;
}

namespace detail {

double max_mismatch(const GridNetwork& net, const Ybus& y, const std::vector<cplx>& v, const PfInjections& inj,
                    std::vector<cplx>& work) {
  y.multiply(v, work);
  double worst = 0;
  for (int i = 0; i < net.num_buses(); ++i) {
    if (net.bus_type[i] == BusType::ref) continue;
    const cplx mis = v[i] * std::conj(work[i]) - inj.s_net[i];
    worst = std::max(worst, std::fabs(mis.real()));
    if (net.bus_type[i] == BusType::pq) worst = std::max(worst, std::fabs(mis.imag()));
  }
  return worst;
}

void finish_result(const GridNetwork& net, const Ybus& y, const std::vector<cplx>& v, const PfInjections& inj,
                   PfResult& r) {
  const int n = net.num_buses();
  r.vm.resize(n);
  r.va.resize(n);
  for (int i = 0; i < n; ++i) {
    r.vm[i] = std::abs(v[i]);
    r.va[i] = std::arg(v[i]);
  }
  const int m = net.num_branches();
  r.s_from.resize(m);
  r.s_to.resize(m);
  r.loss.resize(m);
  for (int k = 0; k < m; ++k) {
    const auto& br = net.branches[k];
    const auto& a = y.branch[k];
    const cplx vf = v[br.from], vt = v[br.to];
    r.s_from[k] = vf * std::conj(a.yff * vf + a.yft * vt);
    r.s_to[k] = vt * std::conj(a.ytf * vf + a.ytt * vt);
    const cplx tap = std::polar(br.tap, br.shift_rad);
    const cplx drop = vf / tap - vt;
    r.loss[k] = std::norm(drop) / std::conj(cplx(br.r, br.x));
  }
  std::vector<cplx> current;
  y.multiply(v, current);
  const int s = net.slack;
  // Generation at the slack = computed injection + load there (inj.s_net holds -load + fixed gen).
  const cplx injected = v[s] * std::conj(current[s]);
  cplx fixed_gen_minus_load = inj.s_net[s];
  for (const auto& g : net.gens)
    if (g.bus == s) fixed_gen_minus_load -= cplx(g.pg, g.qg);
  r.s_slack = injected - fixed_gen_minus_load;
}

std::vector<cplx> initial_voltages(const GridNetwork& net, const PfInjections& inj) {
  const int n = net.num_buses();
  std::vector<cplx> v(n);
  // Like MATPOWER: start from the case's Vm and Va, with set points at PV/reference buses.
  for (int i = 0; i < n; ++i) {
    const double vm = net.bus_type[i] == BusType::pq ? net.vm0[i] : inj.vm_set[i];
    v[i] = std::polar(vm, net.va0[i]);
  }
  return v;
}

std::string format_pu(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g pu", value);
  return buf;
}

}  // namespace detail
}  // namespace evs::grid
