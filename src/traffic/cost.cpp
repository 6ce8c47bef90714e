#include "traffic/cost.hpp"

#include <algorithm>
#include <cmath>

namespace evs::traffic {

namespace {

// (x / c)^p; flows below zero count as zero. Small integer powers (BPR's 4, and 5 in its
// integral) by repeated squaring: std::pow took a third of a stackelberg scenario's time.
double ratio_pow(double x, double c, double p) {
  const double r = std::max(x, 0.0) / c;
  if (p >= 0 && p <= 16 && p == static_cast<int>(p)) {
    double result = 1, base = r;
    for (int e = static_cast<int>(p); e > 0; e >>= 1, base *= base)
      if (e & 1) result *= base;
    return result;
  }
  return std::pow(r, p);
}

double davidson_time(const LinkCost& l, double x) { return l.t0 * (1 + l.j * x / (l.capacity - x)); }
double davidson_slope(const LinkCost& l, double x) {
  const double gap = l.capacity - x;
  return l.t0 * l.j * l.capacity / (gap * gap);
}
double davidson_area(const LinkCost& l, double x) {
  return l.t0 * (x + l.j * (-l.capacity * std::log1p(-x / l.capacity) - x));
}

}  // namespace

double LinkCost::time(double x) const {
  if (kind == Kind::bpr) return fixed + t0 * (1 + b * ratio_pow(x, capacity, power));
  x = std::max(x, 0.0);
  const double knee = mu * capacity;
  if (x <= knee) return fixed + davidson_time(*this, x);
  return fixed + davidson_time(*this, knee) + davidson_slope(*this, knee) * (x - knee);
}

double LinkCost::derivative(double x) const {
  if (kind == Kind::bpr) {
    if (b == 0 || power == 0) return 0.0;  // constant cost (connectors)
    // At zero flow: t0 b / c for p = 1, 0 for p > 1; for p < 1 the slope is unbounded, and 0
    // lets the gradient projection move flow onto the link at all.
    if (x <= 0) return power == 1 ? t0 * b / capacity : 0.0;
    return t0 * b * power * ratio_pow(x, capacity, power) / x;
  }
  x = std::max(x, 0.0);
  return davidson_slope(*this, std::min(x, mu * capacity));
}

double LinkCost::integral(double x) const {
  x = std::max(x, 0.0);
  if (kind == Kind::bpr) return fixed * x + t0 * (x + b * capacity / (power + 1) * ratio_pow(x, capacity, power + 1));
  const double knee = mu * capacity;
  if (x <= knee) return fixed * x + davidson_area(*this, x);
  const double d = x - knee;
  return fixed * x + davidson_area(*this, knee) + davidson_time(*this, knee) * d + 0.5 * davidson_slope(*this, knee) * d * d;
}

LinkCost bpr(double t0, double capacity, double b, double power) {
  LinkCost l;
  l.kind = LinkCost::Kind::bpr;
  l.t0 = t0;
  l.capacity = capacity;
  l.b = b;
  l.power = power;
  return l;
}

LinkCost davidson(double t0, double capacity, double j, double mu) {
  LinkCost l;
  l.kind = LinkCost::Kind::davidson;
  l.t0 = t0;
  l.capacity = capacity;
  l.j = j;
  l.mu = mu;
  return l;
}

}  // namespace evs::traffic
