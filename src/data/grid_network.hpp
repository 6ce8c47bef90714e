#pragma once
// The solver-ready ("mathematical") grid: 0-based contiguous bus indices, per-unit values,
// in-service elements only, validated. Built from a GridCase; keeps the external bus ids
// so results can be reported in the user's numbering.
#include <string>
#include <vector>

#include "data/grid_case.hpp"

namespace evs {

struct NetBranch {
  int from = 0, to = 0;  // bus indices
  double r = 0, x = 0, b = 0;
  double tap = 1, shift_rad = 0;  // off-nominal ratio on the from side (MATPOWER convention)
  double rate_pu = 0;             // apparent-power limit, 0 = none
  int record = 0;                 // index into GridCase::branches
};

struct NetGen {
  int bus = 0;  // bus index
  double pg = 0, qg = 0, qmin = 0, qmax = 0, pmin = 0, pmax = 0, vg = 1;
  int record = 0;
};

// Radial structure, present when the in-service network is a tree rooted at the slack.
struct RadialTree {
  bool is_radial = false;
  std::vector<int> parent;         // [bus] parent bus, -1 at the root
  std::vector<int> parent_branch;  // [bus] branch index to the parent, -1 at the root
  std::vector<int> order;          // buses in breadth-first order from the root
};

struct GridNetwork {
  std::string name;
  std::string source_file;
  double base_mva = 1;
  std::vector<int> bus_id;       // [bus] external number
  std::vector<BusType> bus_type; // [bus]
  std::vector<double> pd, qd;    // [bus] load, pu
  std::vector<double> gs, bs;    // [bus] shunt, pu at 1 pu voltage
  std::vector<double> vmin, vmax;// [bus] pu
  std::vector<double> vm0, va0;  // [bus] initial / set-point magnitude and angle (rad)
  std::vector<double> base_kv;   // [bus]
  std::vector<NetBranch> branches;
  std::vector<NetGen> gens;
  int slack = 0;                 // index of the reference bus
  RadialTree tree;

  int num_buses() const { return static_cast<int>(bus_id.size()); }
  int num_branches() const { return static_cast<int>(branches.size()); }
  int index_of(int external_id) const;  // -1 if unknown
  std::vector<std::string> notes;        // what the conversion changed (e.g. extra sources as PV)
};

// Validates and converts. Throws InputError naming the file, the record's line and the
// field for: duplicate or unknown bus ids, no or several reference buses, non-finite or
// impossible values (negative or zero-impedance branches, Vmin > Vmax), and buses not
// connected to the reference bus through in-service branches.
//
// Several reference buses (two substations): with `extra_sources_as_pv` (the power flow), the
// first in file order is the reference and the others become voltage-controlled sources
// (type 2: their generators' Pg and Vg held, Q free), as MATPOWER does with PV buses; listed
// in `notes`. Without it (the studies' dispatch, which models a radial feeder fed from one
// substation) the error names every reference bus and its line.
GridNetwork build_grid_network(const GridCase& grid_case, bool extra_sources_as_pv = false);

}  // namespace evs
