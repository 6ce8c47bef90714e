#pragma once
// Bus admittance matrix in compressed sparse row form, MATPOWER's makeYbus conventions:
// series admittance ys = 1/(r + jx), line charging b split half to each end, tap
// t = ratio * exp(j shift) on the from side.
#include <complex>
#include <vector>

#include "data/grid_network.hpp"

namespace evs::grid {

using cplx = std::complex<double>;

struct BranchAdmittance {
  cplx yff, yft, ytf, ytt;  // If = yff Vf + yft Vt; It = ytf Vf + ytt Vt
};

struct Ybus {
  int n = 0;
  std::vector<int> row_start;  // [bus + 1]
  std::vector<int> col;        // [nonzero] column bus, sorted within each row, diagonal included
  std::vector<cplx> val;       // [nonzero]
  std::vector<int> diag;       // [bus] position of the diagonal entry
  std::vector<BranchAdmittance> branch;  // [branch]

  // I = Y V
  void multiply(const std::vector<cplx>& v, std::vector<cplx>& out) const;
};

Ybus build_ybus(const GridNetwork& net);

}  // namespace evs::grid
