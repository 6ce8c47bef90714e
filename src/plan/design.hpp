#pragma once
// The sampling plan of a study: which scenarios exist and the value of every uncertain
// parameter in each. Built before any solve and written to the results file with the
// study's provenance. OpenTURNS is used only in design.cpp.
#include <cstdint>
#include <string>
#include <vector>

#include "config/study.hpp"

namespace evs::plan {

struct Design {
  std::string kind;                      // sweep.design: grid, monte_carlo, lhs, sobol, saltelli, morris
  std::uint64_t seed = 0;
  int base_size = 0;                     // sweep.scenarios as given (N for saltelli, r for morris)
  int morris_levels = 0;
  std::vector<std::string> parameters;   // [parameter] names, study order
  std::vector<std::string> distributions;  // [parameter] e.g. "uniform(0.05, 0.6)"
  std::vector<bool> varied;              // [parameter] false for fixed parameters
  std::vector<std::uint64_t> ids;        // [scenario] 1..n; 0 is the base case, not in the design
  // [scenario] key of the scenario's random draws (common random numbers): rows that a
  // sensitivity estimator compares share it. saltelli: A_j and every A_B^i_j share j + 1,
  // B_j has N + j + 1; morris: every row of trajectory t has t + 1; otherwise the id.
  std::vector<std::uint64_t> draw_keys;
  std::vector<std::vector<double>> values;  // [scenario][parameter] model values
  std::vector<std::vector<double>> unit;    // [scenario][parameter] values in probability space (0..1)
  // Layout, per scenario: saltelli: block 0 = A, 1 = B, 2 + i = A with column i from B
  // (i over the varied parameters); morris: trajectory number, and the parameter moved
  // from the previous row (-1 at a trajectory's start); otherwise 0 and -1.
  std::vector<int> block;
  std::vector<int> moved;
  // sweep.replicates R: every design point is R consecutive rows with the same values and
  // draw keys key + r * span (r = 0..R-1, span = the largest key of replicate 0), so replicate
  // 0 is the design without replicates. [scenario] point index and replicate number.
  int replicates = 1;
  std::vector<std::uint64_t> point;
  std::vector<int> replicate;
  std::string layout;                    // the layout in words, stored with the design

  std::size_t size() const { return ids.size(); }
};

// Throws evs::InputError naming the sweep field when the design cannot be built.
Design make_design(const config::Study& study);

// Parameter values of one scenario as name -> value (what a kind's solve takes).
std::vector<std::pair<std::string, double>> scenario_values(const Design& d, std::size_t row);

// FNV-1a 64 of a text, as 16 hex digits (the config hash stored with results).
std::string text_hash(const std::string& text);

}  // namespace evs::plan
