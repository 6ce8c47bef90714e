// MA27's calling convention (Fortran, 1-based indices) over SparseLdl. What MA27 keeps in its
// work arrays between the three phases is kept here in the scope; the arrays carry a handle:
// IKEEP(1..2) after the analysis, IW(1..2) after the factorisation (Ipopt sizes IW from what
// the analysis asks for, and reallocates it in between).
#include "grid/backend/ipopt_ldl.hpp"

#include <HSLLoader.h>

#include <algorithm>
#include <limits>
#include <mutex>

namespace evs::grid {

namespace {

constexpr int kMagic = 0x65764c44;  // "evLD"
thread_local IpoptLdlScope* current = nullptr;

extern "C" void evs_ma27id(ipfint* icntl, double* cntl) {
  std::fill(icntl, icntl + 30, 0);
  std::fill(cntl, cntl + 5, 0.0);
  cntl[0] = 1e-8;  // pivot tolerance: Ipopt sets it before every factorisation
}

extern "C" void evs_ma27ad(ipfint* n, ipfint* nz, const ipfint* irn, const ipfint* icn, ipfint*, ipfint*,
                           ipfint* ikeep, ipfint*, ipfint* nsteps, ipfint*, ipfint*, double*, ipfint* info,
                           double* ops) {
  std::fill(info, info + 20, 0);
  *ops = 0;
  IpoptLdlScope* scope = IpoptLdlScope::active();
  if (!scope || *n <= scope->constraints()) {
    info[0] = -1;  // called outside a solve this module set up: refuse
    return;
  }
  std::vector<int> rows(*nz), cols(*nz);
  for (int e = 0; e < *nz; ++e) {
    rows[e] = irn[e] - 1;
    cols[e] = icn[e] - 1;
  }
  // A sweep solves the same model structure over and over, and a Pareto front a few
  // structures in turn (epsilon rows added or not): the last few analyses (AMD or METIS
  // ordering, elimination tree) are reused when the pattern is the same entry for entry.
  struct Analysis {
    int n = -1, primal = -1;
    std::vector<int> rows, cols;
    SparseLdl analysed;
  };
  constexpr size_t kKept = 4;
  thread_local std::vector<Analysis> kept;
  thread_local size_t next_slot = 0;
  const int primal = *n - scope->constraints();
  std::unique_ptr<SparseLdl> solver;
  for (const Analysis& a : kept)
    if (a.n == *n && a.primal == primal && a.rows == rows && a.cols == cols) {
      solver = std::make_unique<SparseLdl>(a.analysed);
      break;
    }
  if (!solver) {
    solver = std::make_unique<SparseLdl>();
    try {
      solver->analyse(*n, primal, rows.data(), cols.data(), *nz);
    } catch (const std::exception&) {
      info[0] = 1;  // MA27: an index out of range
      return;
    }
    if (kept.size() < kKept) kept.emplace_back();
    Analysis& slot = kept[next_slot++ % kept.size()];
    slot.n = *n;
    slot.primal = primal;
    slot.rows = rows;
    slot.cols = cols;
    slot.analysed = *solver;
  }
  ikeep[0] = scope->add(std::move(solver));
  ikeep[1] = kMagic;
  *nsteps = 1;  // size of IW1 in the solve phase (unused)
  info[4] = 1;  // real workspace wanted besides the values: none
  info[5] = 2;  // integer workspace: the handle
}

extern "C" void evs_ma27bd(ipfint*, ipfint*, const ipfint*, const ipfint*, double* a, ipfint*, ipfint* iw,
                           ipfint* liw, ipfint* ikeep, ipfint*, ipfint* maxfrt, ipfint*, ipfint*, double* cntl,
                           ipfint* info) {
  std::fill(info, info + 20, 0);
  IpoptLdlScope* scope = IpoptLdlScope::active();
  SparseLdl* solver = scope && ikeep[1] == kMagic && *liw >= 2 ? scope->get(ikeep[0]) : nullptr;
  if (!solver) {
    info[0] = -1;
    return;
  }
  // Ipopt raises the pivot tolerance (1e-8 up to 1e-4) when it wants more accurate solves:
  // here that means less static regularisation.
  LdlRegularisation reg;
  reg.static_eps *= std::min(1.0, 1e-8 / std::max(cntl[0], 1e-300));
  const LdlFactorStats stats = solver->factor(a, reg);
  if (!stats.finite) {
    info[0] = -5;  // MA27: singular (Ipopt perturbs the matrix and tries again)
    return;
  }
  scope->count(stats);
  iw[0] = ikeep[0];
  iw[1] = kMagic;
  *maxfrt = 1;               // size of W in the solve phase (unused)
  info[14] = stats.negative_pivots;  // MA27's INFO(15): negative eigenvalues
}

extern "C" void evs_ma27cd(ipfint* n, double*, ipfint*, ipfint* iw, ipfint*, double*, ipfint*, double* rhs, ipfint*,
                           ipfint*, ipfint*, double*) {
  IpoptLdlScope* scope = IpoptLdlScope::active();
  SparseLdl* solver = scope && iw[1] == kMagic ? scope->get(iw[0]) : nullptr;
  if (solver)
    solver->solve(rhs);
  else  // MA27's solve cannot report an error: make the result unusable instead
    std::fill(rhs, rhs + *n, std::numeric_limits<double>::quiet_NaN());
}

}  // namespace

IpoptLdlScope::IpoptLdlScope(int constraints) : constraints_(constraints), previous_(current) {
  static std::once_flag installed;
  std::call_once(installed, [] { LSL_setMA27(&evs_ma27ad, &evs_ma27bd, &evs_ma27cd, &evs_ma27id); });
  current = this;
}

IpoptLdlScope::~IpoptLdlScope() { current = previous_; }

IpoptLdlScope* IpoptLdlScope::active() { return current; }

int IpoptLdlScope::add(std::unique_ptr<SparseLdl> solver) {
  solvers_.push_back(std::move(solver));
  return static_cast<int>(solvers_.size()) - 1;
}

SparseLdl* IpoptLdlScope::get(int handle) {
  return handle >= 0 && handle < static_cast<int>(solvers_.size()) ? solvers_[handle].get() : nullptr;
}

}  // namespace evs::grid
