#include "grid/model/ybus.hpp"

#include <algorithm>
#include <map>

namespace evs::grid {

void Ybus::multiply(const std::vector<cplx>& v, std::vector<cplx>& out) const {
  out.assign(n, cplx{});
  for (int i = 0; i < n; ++i) {
    cplx sum{};
    for (int k = row_start[i]; k < row_start[i + 1]; ++k) sum += val[k] * v[col[k]];
    out[i] = sum;
  }
}

Ybus build_ybus(const GridNetwork& net) {
  Ybus y;
  y.n = net.num_buses();
  std::vector<std::map<int, cplx>> rows(y.n);
  for (int i = 0; i < y.n; ++i) rows[i][i] += cplx(net.gs[i], net.bs[i]);
  for (const auto& br : net.branches) {
    const cplx ys = 1.0 / cplx(br.r, br.x);
    const cplx tap = std::polar(br.tap, br.shift_rad);
    BranchAdmittance a;
    a.ytt = ys + cplx(0, br.b / 2);
    a.yff = a.ytt / (br.tap * br.tap);
    a.yft = -ys / std::conj(tap);
    a.ytf = -ys / tap;
    y.branch.push_back(a);
    rows[br.from][br.from] += a.yff;
    rows[br.from][br.to] += a.yft;
    rows[br.to][br.from] += a.ytf;
    rows[br.to][br.to] += a.ytt;
  }
  y.row_start.push_back(0);
  y.diag.resize(y.n);
  for (int i = 0; i < y.n; ++i) {
    for (const auto& [j, v] : rows[i]) {
      if (j == i) y.diag[i] = static_cast<int>(y.col.size());
      y.col.push_back(j);
      y.val.push_back(v);
    }
    y.row_start.push_back(static_cast<int>(y.col.size()));
  }
  return y;
}

}  // namespace evs::grid
