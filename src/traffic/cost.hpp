#pragma once
// Link cost functions, each with its derivative and integral (the integral gives the
// Beckmann objective). Times are in the network's time unit; flows in vehicles per hour.
namespace evs::traffic {

struct LinkCost {
  enum class Kind { bpr, davidson };
  Kind kind = Kind::bpr;
  double t0 = 0;        // free-flow (BPR) or service (Davidson) time
  double capacity = 1;  // c
  double b = 0.15;      // BPR
  double power = 4;     // BPR
  double j = 0.5;       // Davidson delay parameter
  double mu = 0.95;     // Davidson: linear extension above mu * c keeps costs finite
  double fixed = 0;     // constant added to the time (tolls, prices converted to time)

  double time(double x) const;
  double derivative(double x) const;
  double integral(double x) const;  // from 0 to x
};

LinkCost bpr(double t0, double capacity, double b = 0.15, double power = 4);
LinkCost davidson(double t0, double capacity, double j, double mu = 0.95);

}  // namespace evs::traffic
