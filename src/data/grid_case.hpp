#pragma once
// A MATPOWER case as read ("engineering" level): external bus numbers, MW/MVAr, per-unit
// impedances on the system base, every record kept (out-of-service ones too), and the
// line in the file each record came from, so later checks can point at it.
#include <string>
#include <vector>

namespace evs {

enum class BusType { pq = 1, pv = 2, ref = 3, isolated = 4 };

struct BusRecord {
  int id = 0;
  BusType type = BusType::pq;
  double pd_mw = 0, qd_mvar = 0;  // constant-power load
  double gs_mw = 0, bs_mvar = 0;  // shunt at V = 1 pu
  int area = 1;
  double vm_pu = 1, va_deg = 0;
  double base_kv = 0;
  int zone = 1;
  double vmax_pu = 1.1, vmin_pu = 0.9;
  int line = 0;  // line in the source file
};

struct GenRecord {
  int bus = 0;
  double pg_mw = 0, qg_mvar = 0;
  double qmax_mvar = 0, qmin_mvar = 0;
  double vg_pu = 1;
  double mbase_mva = 100;
  bool in_service = true;
  double pmax_mw = 0, pmin_mw = 0;
  int line = 0;
};

struct BranchRecord {
  int from_bus = 0, to_bus = 0;
  double r_pu = 0, x_pu = 0, b_pu = 0;  // series impedance, total line charging
  double rate_a_mva = 0;                 // 0 = unlimited
  double tap_ratio = 0;                  // 0 = no transformer (ratio 1)
  double shift_deg = 0;
  bool in_service = true;
  int line = 0;
};

struct GenCostRecord {
  int model = 2;  // 1 piecewise linear, 2 polynomial
  double startup = 0, shutdown = 0;
  std::vector<double> coefficients;  // polynomial: highest order first, as in MATPOWER
  int line = 0;
};

struct GridCase {
  std::string name;         // function name in the file
  std::string source_file;  // path as given
  double base_mva = 100;
  std::vector<BusRecord> buses;
  std::vector<GenRecord> gens;
  std::vector<BranchRecord> branches;
  std::vector<GenCostRecord> gencosts;
  std::vector<std::string> conversions;  // MATLAB statements that were applied, in order
};

}  // namespace evs
