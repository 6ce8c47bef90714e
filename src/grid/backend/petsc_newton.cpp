// Newton-Raphson AC power flow in polar coordinates on PETSc SNES: unknowns
// x = [Va(pv, pq); Vm(pq)], residual F = [Re(mis)(pv, pq); Im(mis)(pq)] with
// mis = V conj(Ybus V) - S_spec. The analytic Jacobian (MATPOWER's dSbus_dV) is written
// straight into the SeqAIJ value array through a map precomputed from the Ybus pattern.
// Plain Newton steps (basic line search), LU with PETSc's native factorisation (never
// MUMPS here: see docs/building.md), convergence on the largest mismatch in per unit.
#include <petscsnes.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "core/error.hpp"
#include "core/timer.hpp"
#include "grid/backend/petsc_check.hpp"
#include "grid/backend/petsc_runtime.hpp"
#include "grid/powerflow_detail.hpp"

namespace evs::grid {

namespace {

class NewtonSolver final : public PowerFlowSolver {
 public:
  explicit NewtonSolver(const GridNetwork& net) : net_(net), y_(build_ybus(net)) {
    if (!numerics_initialized())
      throw std::logic_error("NewtonSolver needs a live NumericsRuntime (PETSc is not initialised)");
    const int n = net.num_buses();
    angle_var_.assign(n, -1);
    mag_var_.assign(n, -1);
    int m = 0;
    for (int i = 0; i < n; ++i)
      if (net.bus_type[i] != BusType::ref) angle_var_[i] = m++;
    for (int i = 0; i < n; ++i)
      if (net.bus_type[i] == BusType::pq) mag_var_[i] = m++;
    size_ = m;
    build_pattern();
    create_petsc_objects();
  }

  ~NewtonSolver() override {
    if (snes_) SNESDestroy(&snes_);
    if (jac_) MatDestroy(&jac_);
    if (x_) VecDestroy(&x_);
    if (f_) VecDestroy(&f_);
  }

  PfResult solve(const PfInjections& inj, const PfOptions& opt) override {
    Stopwatch clock;
    PfResult r;
    inj_ = &inj;
    opt_ = opt;
    history_.clear();
    clock_.restart();
    std::vector<cplx> v = detail::initial_voltages(net_, inj);
    if (size_ == 0) {  // only the reference bus
      detail::finish_result(net_, y_, v, inj, r);
      return r;
    }
    try {
      PetscScalar* x = nullptr;
      EVS_PETSC(VecGetArray(x_, &x));
      for (int i = 0; i < net_.num_buses(); ++i) {
        if (angle_var_[i] >= 0) x[angle_var_[i]] = std::arg(v[i]);
        if (mag_var_[i] >= 0) x[mag_var_[i]] = std::abs(v[i]);
      }
      EVS_PETSC(VecRestoreArray(x_, &x));
      EVS_PETSC(SNESSetTolerances(snes_, 0.0, 0.0, 0.0, opt.max_iterations, 100 * (opt.max_iterations + 1)));
      EVS_PETSC(SNESSolve(snes_, nullptr, x_));
      SNESConvergedReason reason;
      PetscInt its = 0;
      EVS_PETSC(SNESGetConvergedReason(snes_, &reason));
      EVS_PETSC(SNESGetIterationNumber(snes_, &its));
      r.iterations = static_cast<int>(its);
      const PetscScalar* xs = nullptr;
      EVS_PETSC(VecGetArrayRead(x_, &xs));
      voltages_from(xs, v);
      EVS_PETSC(VecRestoreArrayRead(x_, &xs));
      r.max_mismatch_pu = detail::max_mismatch(net_, y_, v, inj, work_);
      if (reason > 0 && r.max_mismatch_pu <= opt.tolerance_pu) {
        r.status = Status::success();
      } else if (!std::isfinite(r.max_mismatch_pu) || reason == SNES_DIVERGED_FNORM_NAN) {
        r.status = Status::failure(StatusCode::numerical_error, "Newton produced non-finite values");
      } else if (reason == SNES_DIVERGED_LINEAR_SOLVE) {
        r.status = Status::failure(StatusCode::numerical_error,
                                   "singular Jacobian after " + std::to_string(its) + " iterations; largest mismatch " +
                                       detail::format_pu(r.max_mismatch_pu));
      } else {
        r.status = Status::failure(StatusCode::not_converged,
                                   "Newton did not converge in " + std::to_string(its) + " iterations (" +
                                       SNESConvergedReasons[reason] + "); largest mismatch " +
                                       detail::format_pu(r.max_mismatch_pu));
      }
    } catch (const PetscFailure& e) {
      r.status = Status::failure(StatusCode::numerical_error, e.what());
      r.max_mismatch_pu = detail::max_mismatch(net_, y_, v, inj, work_);
    }
    r.history = history_;
    detail::finish_result(net_, y_, v, inj, r);
    r.solve_seconds = clock.seconds();
    inj_ = nullptr;
    return r;
  }

 private:
  // Jacobian pattern: for Ybus entry (i, k) the rows P_i, Q_i meet the columns Va_k, Vm_k.
  void build_pattern() {
    std::vector<std::set<int>> cols(size_);
    const int n = net_.num_buses();
    for (int i = 0; i < n; ++i) {
      for (int e = y_.row_start[i]; e < y_.row_start[i + 1]; ++e) {
        const int k = y_.col[e];
        for (int row : {angle_var_[i], mag_var_[i]}) {
          if (row < 0) continue;
          if (angle_var_[k] >= 0) cols[row].insert(angle_var_[k]);
          if (mag_var_[k] >= 0) cols[row].insert(mag_var_[k]);
        }
      }
    }
    row_start_.assign(size_ + 1, 0);
    for (int r = 0; r < size_; ++r) {
      row_start_[r + 1] = row_start_[r] + static_cast<int>(cols[r].size());
      col_.insert(col_.end(), cols[r].begin(), cols[r].end());
    }
    auto position = [&](int row, int column) {
      if (row < 0 || column < 0) return -1;
      auto first = col_.begin() + row_start_[row], last = col_.begin() + row_start_[row + 1];
      return static_cast<int>(std::lower_bound(first, last, column) - col_.begin());
    };
    slot_.resize(y_.col.size());
    for (int i = 0; i < n; ++i)
      for (int e = y_.row_start[i]; e < y_.row_start[i + 1]; ++e) {
        const int k = y_.col[e];
        slot_[e] = {position(angle_var_[i], angle_var_[k]), position(angle_var_[i], mag_var_[k]),
                    position(mag_var_[i], angle_var_[k]), position(mag_var_[i], mag_var_[k])};
      }
  }

  void create_petsc_objects() {
    std::vector<PetscInt> nnz(size_);
    for (int r = 0; r < size_; ++r) nnz[r] = row_start_[r + 1] - row_start_[r];
    EVS_PETSC(MatCreateSeqAIJ(PETSC_COMM_SELF, size_, size_, 0, nnz.data(), &jac_));
    for (int r = 0; r < size_; ++r) {
      std::vector<PetscInt> c(col_.begin() + row_start_[r], col_.begin() + row_start_[r + 1]);
      std::vector<PetscScalar> zeros(c.size(), 0.0);
      const PetscInt row = r;
      EVS_PETSC(MatSetValues(jac_, 1, &row, static_cast<PetscInt>(c.size()), c.data(), zeros.data(), INSERT_VALUES));
    }
    EVS_PETSC(MatAssemblyBegin(jac_, MAT_FINAL_ASSEMBLY));
    EVS_PETSC(MatAssemblyEnd(jac_, MAT_FINAL_ASSEMBLY));
    EVS_PETSC(MatSetOption(jac_, MAT_NEW_NONZERO_LOCATION_ERR, PETSC_TRUE));
    MatInfo info;
    EVS_PETSC(MatGetInfo(jac_, MAT_LOCAL, &info));
    if (static_cast<size_t>(info.nz_used) != col_.size())
      throw std::logic_error("Jacobian pattern mismatch: PETSc kept " + std::to_string(info.nz_used) + " of " +
                             std::to_string(col_.size()) + " entries");
    EVS_PETSC(VecCreateSeq(PETSC_COMM_SELF, size_, &x_));
    EVS_PETSC(VecDuplicate(x_, &f_));
    EVS_PETSC(SNESCreate(PETSC_COMM_SELF, &snes_));
    EVS_PETSC(SNESSetType(snes_, SNESNEWTONLS));
    EVS_PETSC(SNESSetFunction(snes_, f_, &NewtonSolver::form_function, this));
    EVS_PETSC(SNESSetJacobian(snes_, jac_, jac_, &NewtonSolver::form_jacobian, this));
    EVS_PETSC(SNESSetConvergenceTest(snes_, &NewtonSolver::convergence_test, this, nullptr));
    SNESLineSearch ls;
    EVS_PETSC(SNESGetLineSearch(snes_, &ls));
    EVS_PETSC(SNESLineSearchSetType(ls, SNESLINESEARCHBASIC));
    KSP ksp;
    EVS_PETSC(SNESGetKSP(snes_, &ksp));
    EVS_PETSC(KSPSetType(ksp, KSPPREONLY));
    PC pc;
    EVS_PETSC(KSPGetPC(ksp, &pc));
    EVS_PETSC(PCSetType(pc, PCLU));
    EVS_PETSC(PCFactorSetMatSolverType(pc, MATSOLVERPETSC));
    EVS_PETSC(PCFactorSetMatOrderingType(pc, MATORDERINGND));
    EVS_PETSC(PCFactorSetShiftType(pc, MAT_SHIFT_NONE));
    EVS_PETSC(SNESSetOptionsPrefix(snes_, "pf_"));
    EVS_PETSC(SNESSetFromOptions(snes_));
  }

  void voltages_from(const PetscScalar* x, std::vector<cplx>& v) const {
    const int n = net_.num_buses();
    v.resize(n);
    for (int i = 0; i < n; ++i) {
      const double vm = mag_var_[i] >= 0 ? x[mag_var_[i]] : inj_->vm_set[i];
      const double va = angle_var_[i] >= 0 ? x[angle_var_[i]] : net_.va0[i];
      v[i] = std::polar(vm, va);
    }
  }

  static PetscErrorCode form_function(SNES, Vec xv, Vec fv, void* ctx) {
    auto* self = static_cast<NewtonSolver*>(ctx);
    const PetscScalar* x = nullptr;
    PetscScalar* f = nullptr;
    PetscCall(VecGetArrayRead(xv, &x));
    PetscCall(VecGetArray(fv, &f));
    self->voltages_from(x, self->v_);
    self->y_.multiply(self->v_, self->current_);
    double worst = 0;
    for (int i = 0; i < self->net_.num_buses(); ++i) {
      const cplx mis = self->v_[i] * std::conj(self->current_[i]) - self->inj_->s_net[i];
      if (self->angle_var_[i] >= 0) {
        f[self->angle_var_[i]] = mis.real();
        worst = std::max(worst, std::fabs(mis.real()));
      }
      if (self->mag_var_[i] >= 0) {
        f[self->mag_var_[i]] = mis.imag();
        worst = std::max(worst, std::fabs(mis.imag()));
      }
      if (!std::isfinite(mis.real()) || !std::isfinite(mis.imag())) worst = NAN;
    }
    self->last_mismatch_ = worst;
    PetscCall(VecRestoreArray(fv, &f));
    PetscCall(VecRestoreArrayRead(xv, &x));
    return 0;
  }

  static PetscErrorCode form_jacobian(SNES, Vec xv, Mat jac, Mat, void* ctx) {
    auto* self = static_cast<NewtonSolver*>(ctx);
    const PetscScalar* x = nullptr;
    PetscCall(VecGetArrayRead(xv, &x));
    self->voltages_from(x, self->v_);
    PetscCall(VecRestoreArrayRead(xv, &x));
    const auto& v = self->v_;
    const auto& y = self->y_;
    y.multiply(v, self->current_);
    PetscScalar* a = nullptr;
    PetscCall(MatSeqAIJGetArray(jac, &a));
    std::fill(a, a + self->col_.size(), 0.0);
    for (int i = 0; i < self->net_.num_buses(); ++i) {
      const cplx vi = v[i];
      for (int e = y.row_start[i]; e < y.row_start[i + 1]; ++e) {
        const int k = y.col[e];
        const cplx yv = y.val[e] * v[k];
        const double vmk = std::abs(v[k]);
        cplx d_va = cplx(0, 1) * vi * std::conj(-yv);
        cplx d_vm = vi * std::conj(yv / vmk);
        if (k == i) {
          d_va += cplx(0, 1) * vi * std::conj(self->current_[i]);
          d_vm += std::conj(self->current_[i]) * vi / std::abs(vi);
        }
        const auto& s = self->slot_[e];
        if (s[0] >= 0) a[s[0]] += d_va.real();
        if (s[1] >= 0) a[s[1]] += d_vm.real();
        if (s[2] >= 0) a[s[2]] += d_va.imag();
        if (s[3] >= 0) a[s[3]] += d_vm.imag();
      }
    }
    PetscCall(MatSeqAIJRestoreArray(jac, &a));
    return 0;
  }

  static PetscErrorCode convergence_test(SNES, PetscInt it, PetscReal, PetscReal, PetscReal,
                                         SNESConvergedReason* reason, void* ctx) {
    auto* self = static_cast<NewtonSolver*>(ctx);
    const double mismatch = self->last_mismatch_;
    self->history_.push_back({static_cast<int>(it), mismatch, self->clock_.seconds()});
    if (!std::isfinite(mismatch))
      *reason = SNES_DIVERGED_FNORM_NAN;
    else if (mismatch <= self->opt_.tolerance_pu)
      *reason = SNES_CONVERGED_FNORM_ABS;
    else if (it >= self->opt_.max_iterations)
      *reason = SNES_DIVERGED_MAX_IT;
    else
      *reason = SNES_CONVERGED_ITERATING;
    return 0;
  }

  const GridNetwork& net_;
  Ybus y_;
  std::vector<int> angle_var_, mag_var_;  // [bus] unknown / equation index, -1 if none
  int size_ = 0;
  std::vector<int> row_start_, col_;      // Jacobian CSR pattern
  std::vector<std::array<int, 4>> slot_;  // [Ybus nonzero] positions of dP/dVa, dP/dVm, dQ/dVa, dQ/dVm
  Mat jac_ = nullptr;
  Vec x_ = nullptr, f_ = nullptr;
  SNES snes_ = nullptr;
  // per-solve state
  const PfInjections* inj_ = nullptr;
  PfOptions opt_;
  std::vector<cplx> v_, current_, work_;
  double last_mismatch_ = 0;
  std::vector<PfIteration> history_;
  Stopwatch clock_;
};

}  // namespace

std::unique_ptr<PowerFlowSolver> make_newton_solver(const GridNetwork& net) {
  return std::make_unique<NewtonSolver>(net);
}

}  // namespace evs::grid
