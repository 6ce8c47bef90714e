// The one place SuiteSparse (AMD, CHOLMOD's METIS interface, LDL) is used.
#include "grid/backend/kkt_ldl.hpp"

#include <amd.h>
#include <cholmod.h>
extern "C" {  // ldl.h declares C functions without a C++ guard
#include <ldl.h>
}

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace evs::grid {

namespace {

// Flops of the LDL^T factorisation of P A P^T (sum over columns of L of their squared
// counts), A's upper-triangle pattern in compressed columns (ap, ai), perm[k] = old index.
double ordering_flops(int n, const std::vector<int>& ap, const std::vector<int>& ai, const std::vector<int>& perm) {
  std::vector<int> pinv(n);
  for (int k = 0; k < n; ++k) pinv[perm[k]] = k;
  std::vector<int> cp(n + 1, 0);
  for (int j = 0; j < n; ++j)
    for (int p = ap[j]; p < ap[j + 1]; ++p) ++cp[std::max(pinv[ai[p]], pinv[j]) + 1];
  for (int k = 0; k < n; ++k) cp[k + 1] += cp[k];
  std::vector<int> ci(cp[n]), next(cp.begin(), cp.end() - 1);
  for (int j = 0; j < n; ++j)
    for (int p = ap[j]; p < ap[j + 1]; ++p) {
      const int a = pinv[ai[p]], b = pinv[j];
      ci[next[std::max(a, b)]++] = std::min(a, b);
    }
  std::vector<int> lp(n + 1), parent(n), lnz(n), flag(n);
  ldl_symbolic(n, cp.data(), ci.data(), lp.data(), parent.data(), lnz.data(), flag.data(), nullptr, nullptr);
  double flops = 0;
  for (int j = 0; j < n; ++j) flops += static_cast<double>(lnz[j]) * lnz[j];
  return flops;
}

// METIS nested dissection of the pattern through CHOLMOD; false when it is unavailable.
bool metis_ordering(int n, const std::vector<int>& ap, const std::vector<int>& ai, std::vector<int>& perm) {
  cholmod_common common;
  cholmod_start(&common);
  common.print = 0;
  common.error_handler = nullptr;
  cholmod_sparse* a = cholmod_allocate_sparse(n, n, ap[n], 1, 1, 1, CHOLMOD_PATTERN, &common);
  bool ok = a != nullptr;
  if (ok) {
    std::copy(ap.begin(), ap.end(), static_cast<int*>(a->p));
    std::copy(ai.begin(), ai.begin() + ap[n], static_cast<int*>(a->i));
    perm.assign(n, 0);
    ok = cholmod_metis(a, nullptr, 0, 1, perm.data(), &common) == 1;
    cholmod_free_sparse(&a, &common);
  }
  cholmod_finish(&common);
  return ok;
}

}  // namespace

void SparseLdl::analyse(int n, int primal, const int* rows, const int* cols, int nz) {
  if (n <= 0 || primal < 0 || primal > n) throw std::invalid_argument("SparseLdl: bad dimensions");
  n_ = n;
  primal_ = primal;

  // 1. Unique upper-triangle pattern (i <= j) in compressed columns, diagonal included.
  std::vector<int> count(n + 1, 0);
  for (int e = 0; e < nz; ++e) {
    if (rows[e] < 0 || rows[e] >= n || cols[e] < 0 || cols[e] >= n)
      throw std::invalid_argument("SparseLdl: entry " + std::to_string(e) + " out of range");
    ++count[std::max(rows[e], cols[e]) + 1];
  }
  for (int j = 0; j < n; ++j) count[j + 1] += count[j] + 1;  // + the diagonal
  std::vector<int> raw_row(count[n]);
  std::vector<int> raw_entry(count[n], -1);  // -1: the added diagonal
  std::vector<int> next(count.begin(), count.end() - 1);
  for (int j = 0; j < n; ++j) raw_row[next[j]++] = j;
  for (int e = 0; e < nz; ++e) {
    const int j = std::max(rows[e], cols[e]);
    raw_row[next[j]] = std::min(rows[e], cols[e]);
    raw_entry[next[j]++] = e;
  }
  // Sort each column by row and merge duplicates: unique slot per (i, j).
  std::vector<int> ap(n + 1, 0), ai;
  std::vector<int> entry_unique(nz, -1);
  ai.reserve(count[n]);
  std::vector<int> order;
  for (int j = 0; j < n; ++j) {
    order.resize(count[j + 1] - count[j]);
    for (size_t k = 0; k < order.size(); ++k) order[k] = count[j] + static_cast<int>(k);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return raw_row[a] < raw_row[b]; });
    int last = -1;
    for (int p : order) {
      if (raw_row[p] != last) {
        ai.push_back(raw_row[p]);
        last = raw_row[p];
      }
      if (raw_entry[p] >= 0) entry_unique[raw_entry[p]] = static_cast<int>(ai.size()) - 1;
    }
    ap[j + 1] = static_cast<int>(ai.size());
  }

  // 2. Fill-reducing ordering of the symmetric pattern.
  perm_.assign(n, 0);
  double control[AMD_CONTROL], info[AMD_INFO];
  amd_defaults(control);
  if (amd_order(n, ap.data(), ai.data(), perm_.data(), control, info) < AMD_OK)
    throw std::runtime_error("SparseLdl: AMD ordering failed");
  // Time-expanded networks (cells x steps) are grid-like: nested dissection can fill far
  // less than minimum degree there. When AMD's factorisation would cost more than
  // kMetisFlopsPerEntry flops per entry of the matrix (AMD's own count; conav: ~4,300; the
  // dispatch and planning models: 3-9, where METIS would only cost its own time), METIS is
  // tried too and the ordering with fewer flops kept.
  if (n >= kMetisMinSize && info[AMD_NMULTSUBS_LDL] > kMetisFlopsPerEntry * ap[n]) {
    std::vector<int> nd;
    if (metis_ordering(n, ap, ai, nd) && ordering_flops(n, ap, ai, nd) < ordering_flops(n, ap, ai, perm_))
      perm_ = std::move(nd);
  }
  std::vector<int> pinv(n);
  for (int k = 0; k < n; ++k) pinv[perm_[k]] = k;

  // 3. Upper triangle of P K P^T; slot of every unique entry, then of every triplet.
  const int unique = ap[n];
  std::vector<int> col_of(unique), row_of(unique);
  cp_.assign(n + 1, 0);
  for (int j = 0; j < n; ++j)
    for (int p = ap[j]; p < ap[j + 1]; ++p) {
      const int a = pinv[ai[p]], b = pinv[j];
      row_of[p] = std::min(a, b);
      col_of[p] = std::max(a, b);
      ++cp_[col_of[p] + 1];
    }
  for (int k = 0; k < n; ++k) cp_[k + 1] += cp_[k];
  ci_.assign(unique, 0);
  std::vector<int> unique_slot(unique);
  next.assign(cp_.begin(), cp_.end() - 1);
  diag_slot_.assign(n, -1);
  for (int p = 0; p < unique; ++p) {
    const int slot = next[col_of[p]]++;
    ci_[slot] = row_of[p];
    unique_slot[p] = slot;
    if (row_of[p] == col_of[p]) diag_slot_[col_of[p]] = slot;
  }
  entry_slot_.resize(nz);
  for (int e = 0; e < nz; ++e) entry_slot_[e] = unique_slot[entry_unique[e]];
  cx_.assign(unique, 0.0);

  // 4. Elimination tree and column counts of L.
  lp_.assign(n + 1, 0);
  parent_.assign(n, 0);
  {
    std::vector<int> lnz(n), flag(n);
    ldl_symbolic(n, cp_.data(), ci_.data(), lp_.data(), parent_.data(), lnz.data(), flag.data(), nullptr, nullptr);
  }
  // 5. Rows of L, once: the up-looking factorisation reaches the same columns in the same
  // (topological) order at every factorisation, since the pivot order is fixed. Row k's
  // entries: row_col_[q] = column i, row_slot_[q] = the position of L(k, i) in li_/lx_.
  li_.assign(lp_[n], 0);
  lx_.assign(lp_[n], 0.0);
  row_ptr_.assign(n + 1, 0);
  row_col_.assign(lp_[n], 0);
  row_slot_.assign(lp_[n], 0);
  {
    std::vector<int> filled(n, 0), flag(n, -1), stack(n);
    int q = 0;
    for (int k = 0; k < n; ++k) {
      int top = n;
      flag[k] = k;
      for (int p = cp_[k]; p < cp_[k + 1]; ++p) {
        int len = 0;
        for (int i = ci_[p]; flag[i] != k; i = parent_[i]) {
          stack[len++] = i;
          flag[i] = k;
        }
        while (len > 0) stack[--top] = stack[--len];
      }
      for (; top < n; ++top) {
        const int i = stack[top];
        const int slot = lp_[i] + filled[i]++;
        li_[slot] = k;
        row_col_[q] = i;
        row_slot_[q++] = slot;
      }
      row_ptr_[k + 1] = q;
    }
  }
  d_.assign(n, 0.0);
  y_.assign(n, 0.0);
  work_.assign(n, 0.0);
}

LdlFactorStats SparseLdl::factor(const double* values, const LdlRegularisation& reg) {
  LdlFactorStats stats;
  std::fill(cx_.begin(), cx_.end(), 0.0);
  for (size_t e = 0; e < entry_slot_.size(); ++e) cx_[entry_slot_[e]] += values[e];
  auto expected_sign = [&](int k) { return perm_[k] < primal_ ? 1.0 : -1.0; };
  for (int k = 0; k < n_; ++k) cx_[diag_slot_[k]] += expected_sign(k) * reg.static_eps;

  // Up-looking LDL^T: row k of L by a sparse triangular solve over the rows found in analyse.
  for (int k = 0; k < n_; ++k) {
    for (int p = cp_[k]; p < cp_[k + 1]; ++p) y_[ci_[p]] += cx_[p];
    double dk = y_[k];
    y_[k] = 0.0;
    for (int q = row_ptr_[k]; q < row_ptr_[k + 1]; ++q) {
      const int i = row_col_[q], slot = row_slot_[q];
      const double yi = y_[i];
      y_[i] = 0.0;
      for (int p = lp_[i]; p < slot; ++p) y_[li_[p]] -= lx_[p] * yi;
      const double l_ki = yi / d_[i];
      dk -= l_ki * yi;
      lx_[slot] = l_ki;
    }
    if (!std::isfinite(dk)) {
      stats.finite = false;
      return stats;
    }
    if (std::abs(dk) < reg.dynamic_tol) {
      dk = expected_sign(k) * reg.dynamic_delta;
      ++stats.regularised_pivots;
    }
    if (dk < 0) ++stats.negative_pivots;
    d_[k] = dk;
  }
  return stats;
}

void SparseLdl::solve(double* rhs) {
  for (int k = 0; k < n_; ++k) work_[k] = rhs[perm_[k]];
  ldl_lsolve(n_, work_.data(), lp_.data(), li_.data(), lx_.data());
  ldl_dsolve(n_, work_.data(), d_.data());
  ldl_ltsolve(n_, work_.data(), lp_.data(), li_.data(), lx_.data());
  for (int k = 0; k < n_; ++k) rhs[perm_[k]] = work_[k];
}

}  // namespace evs::grid
