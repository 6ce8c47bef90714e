#pragma once
// Sparse LDL^T factorisation of symmetric quasi-definite systems, written for the KKT
// matrices of an interior-point method:
//
//       [ H + Sigma   J^T  ]   primal rows first (expected positive pivots),
//   K = [                  ]
//       [    J       -Delta]   dual rows last (expected negative pivots).
//
// Fill-reducing ordering by SuiteSparse AMD (or METIS nested dissection, through CHOLMOD, when
// AMD fills heavily and METIS needs fewer flops), symbolic analysis by SuiteSparse LDL (plus the rows of L, so that the
// numeric phase walks no elimination tree), numeric factorisation by an up-looking LDL^T with
// 1x1 pivots in that fixed order. No pivoting:
// stability comes from regularisation, as in interior-point codes built on LDL^T
// (Vanderbei's quasi-definite matrices):
//   static   +eps on every primal diagonal, -eps on every dual diagonal, so that every
//            symmetric ordering has an LDL^T in exact arithmetic;
//   dynamic  a pivot with |d| < tiny (cancellation) is replaced by +-delta, its expected sign.
// The solution is of the regularised matrix; the caller refines it against K (Ipopt does).
// The inertia (negative pivots) is exact for the regularised matrix: it equals the number of
// dual rows exactly when H is positive definite on the null space of J (for small eps).
#include <vector>

namespace evs::grid {

struct LdlRegularisation {
  double static_eps = 1e-8;    // added to primal diagonals, subtracted from dual ones
  double dynamic_tol = 1e-13;  // a pivot smaller than this in magnitude ...
  double dynamic_delta = 2e-7; // ... becomes +-delta (its expected sign)
};

struct LdlFactorStats {
  int negative_pivots = 0;
  int regularised_pivots = 0;  // dynamic replacements
  bool finite = true;          // false: a NaN or infinity appeared (bad input)
};

class SparseLdl {
 public:
  static constexpr int kMetisMinSize = 2000;
  static constexpr double kMetisFlopsPerEntry = 100;
  // Pattern from triplets with 0-based indices (either triangle; duplicates are summed;
  // missing diagonals are added). Rows [0, primal) expect positive pivots, [primal, n)
  // negative ones. Throws std::invalid_argument for an index out of range.
  void analyse(int n, int primal, const int* rows, const int* cols, int nz);

  // Factorises the matrix whose triplet values (same order as in analyse) are given.
  LdlFactorStats factor(const double* values, const LdlRegularisation& reg = {});

  // Overwrites rhs (length n) with the solution of the factorised (regularised) system.
  void solve(double* rhs);

  int size() const { return n_; }
  long factor_nonzeros() const { return lp_.empty() ? 0 : lp_[n_]; }

 private:
  int n_ = 0, primal_ = 0;
  std::vector<int> perm_;        // permuted index k -> original row perm_[k]
  std::vector<int> cp_, ci_;     // upper triangle of P K P^T, compressed columns
  std::vector<int> entry_slot_;  // triplet e -> position in cx_
  std::vector<int> diag_slot_;   // permuted column k -> position of its diagonal in cx_
  std::vector<double> cx_;
  std::vector<int> lp_, parent_, li_;
  std::vector<double> lx_, d_;
  std::vector<int> row_ptr_, row_col_, row_slot_;  // rows of L (see analyse)
  std::vector<double> y_;
  std::vector<double> work_;  // solve's permuted right-hand side
};

}  // namespace evs::grid
