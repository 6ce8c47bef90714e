#include "traffic/od_mle.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

extern "C" void dgesdd_(const char* jobz, const int* m, const int* n, double* a, const int* lda, double* s, double* u,
                        const int* ldu, double* vt, const int* ldvt, double* work, const int* lwork, int* iwork,
                        int* info);

namespace evs::traffic {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool usable(const MleRow& r) { return !r.share.empty() && (r.samples > 0 || std::isfinite(r.upper)); }

// Per-row first and second derivatives of the objective with respect to the row's flow.
struct RowTerms {
  double value = 0, gamma = 0, delta = 0;
};

RowTerms row_terms(const MleProblem& p, const MleRow& r, double v) {
  RowTerms t;
  if (r.samples > 0) {
    if (p.likelihood == OdLikelihood::poisson) {
      if (r.sum > 0) {
        if (v <= 0) return {kInf, 0, 0};
        t.value = r.samples * v - r.sum * std::log(v);
        t.gamma = r.samples - r.sum / v;
        t.delta = r.sum / (v * v);
      } else {
        t.value = r.samples * v;
        t.gamma = r.samples;
      }
    } else {
      const double ybar = r.sum / r.samples, s2 = std::max(ybar, 1.0);
      t.value = r.samples * (ybar - v) * (ybar - v) / (2 * s2);
      t.gamma = r.samples * (v - ybar) / s2;
      t.delta = r.samples / s2;
    }
  }
  if (std::isfinite(r.upper) && v > r.upper) {
    const double scale = p.censor_weight / std::max(r.upper, 1.0);
    t.value += scale * (v - r.upper) * (v - r.upper) / 2;
    t.gamma += scale * (v - r.upper);
    t.delta += scale;
  }
  return t;
}

struct PriorTerms {
  double value = 0, grad = 0, curv = 0;
};

bool pattern_prior(const MleProblem& p) {
  return p.prior_level_free && p.likelihood == OdLikelihood::poisson && !p.prior.empty() && p.prior_weight > 0;
}

// The separable part of the prior term (the pattern prior's -T0 log S part is added apart).
PriorTerms prior_terms(const MleProblem& p, int k, double x) {
  if (p.prior.empty() || p.prior_weight <= 0) return {};
  const double w = p.prior_weight, x0 = p.prior[k];
  if (pattern_prior(p)) {
    if (x0 <= 0) return {};
    if (x <= 0) return {kInf, 0, 0};
    return {-w * x0 * std::log(x), -w * x0 / x, w * x0 / (x * x)};
  }
  if (p.likelihood == OdLikelihood::poisson) {
    if (x0 <= 0) return {w * x, w, 0};
    if (x <= 0) return {kInf, 0, 0};
    return {w * (x - x0 * std::log(x)), w * (1 - x0 / x), w * x0 / (x * x)};
  }
  const double s2 = std::max(x0, 1.0);
  return {w * (x - x0) * (x - x0) / (2 * s2), w * (x - x0) / s2, w / s2};
}

class Objective {
 public:
  explicit Objective(const MleProblem& p) : p_(p), pattern_(pattern_prior(p)) {
    for (size_t a = 0; a < p.rows.size(); ++a)
      if (usable(p.rows[a])) rows_.push_back(static_cast<int>(a));
    if (pattern_)
      for (double v : p.prior) prior_total_ += v;
  }

  // Value at x (and, when `derivatives`, gradient and the Hessian's row/diagonal terms).
  double evaluate(const std::vector<double>& x, bool derivatives) {
    double g = 0;
    if (derivatives) {
      grad_.assign(x.size(), 0.0);
      delta_.assign(p_.rows.size(), 0.0);
      curv_.assign(x.size(), 0.0);
    }
    for (int a : rows_) {
      const auto& r = p_.rows[a];
      double v = 0;
      for (const auto& [k, s] : r.share) v += s * x[k];
      const RowTerms t = row_terms(p_, r, v);
      if (!std::isfinite(t.value)) return kInf;
      g += t.value;
      if (derivatives) {
        delta_[a] = t.delta;
        for (const auto& [k, s] : r.share) grad_[k] += t.gamma * s;
      }
    }
    for (size_t k = 0; k < x.size(); ++k) {
      const PriorTerms t = prior_terms(p_, static_cast<int>(k), x[k]);
      if (!std::isfinite(t.value)) return kInf;
      g += t.value;
      if (derivatives) {
        grad_[k] += t.grad;
        curv_[k] = t.curv;
      }
    }
    if (pattern_) {  // + w T0 log S: gradient w T0 / S, Hessian -w T0 / S^2 (rank one)
      double total = 0;
      for (double v : x) total += v;
      if (total <= 0) return kInf;
      g += p_.prior_weight * prior_total_ * std::log(total);
      rank_one_ = p_.prior_weight * prior_total_ / (total * total);
      if (derivatives)
        for (double& v : grad_) v += p_.prior_weight * prior_total_ / total;
    }
    return g;
  }

  // y = H_FF d (d zero outside the free set).
  void hessian_times(const std::vector<double>& d, const std::vector<char>& free, std::vector<double>& y) const {
    y.assign(d.size(), 0.0);
    for (int a : rows_) {
      if (delta_[a] == 0) continue;
      const auto& r = p_.rows[a];
      double md = 0;
      for (const auto& [k, s] : r.share) md += s * d[k];
      if (md == 0) continue;
      md *= delta_[a];
      for (const auto& [k, s] : r.share) y[k] += md * s;
    }
    double sum_d = 0;
    if (pattern_)
      for (size_t k = 0; k < d.size(); ++k) sum_d += free[k] ? d[k] : 0.0;
    for (size_t k = 0; k < d.size(); ++k) y[k] = free[k] ? y[k] + curv_[k] * d[k] - rank_one_ * sum_d : 0.0;
  }

  std::vector<double> hessian_diagonal() const {
    std::vector<double> h = curv_;
    for (int a : rows_)
      for (const auto& [k, s] : p_.rows[a].share) h[k] += delta_[a] * s * s;
    return h;
  }

  const std::vector<double>& grad() const { return grad_; }

 private:
  const MleProblem& p_;
  bool pattern_ = false;
  double prior_total_ = 0, rank_one_ = 0;
  std::vector<int> rows_;
  std::vector<double> grad_, delta_, curv_;
};

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

}  // namespace

std::vector<double> row_flows(const MleProblem& p, const std::vector<double>& demand) {
  std::vector<double> v(p.rows.size(), 0.0);
  for (size_t a = 0; a < p.rows.size(); ++a)
    for (const auto& [k, s] : p.rows[a].share) v[a] += s * demand[k];
  return v;
}

MleResult maximise_likelihood(const MleProblem& p, std::vector<double> x, double tolerance, int max_iterations) {
  const int n = p.num_pairs;
  x.resize(n, 0.0);
  for (double& v : x) v = std::isfinite(v) ? std::max(v, 0.0) : 0.0;
  Objective obj(p);
  MleResult res;
  double g = obj.evaluate(x, true);
  if (!std::isfinite(g)) {  // a zero flow on a link with counts, or a zero entry with a prior: start inside
    const double level = std::max(1e-3, std::accumulate(x.begin(), x.end(), 0.0) / std::max(n, 1) * 1e-3);
    for (double& v : x) v = std::max(v, level);
    g = obj.evaluate(x, true);
  }
  std::vector<char> free(n);
  double mu = 1e-6;
  std::vector<double> d(n), r(n), z(n), q(n), hd(n), trial(n);
  for (int it = 0; it < max_iterations && std::isfinite(g); ++it) {
    res.iterations = it + 1;
    const auto& grad = obj.grad();
    // Active set (Bertsekas): at (or within eps of) zero with the gradient pushing outwards.
    double w = 0;
    for (int k = 0; k < n; ++k) w += std::pow(x[k] - std::max(0.0, x[k] - grad[k]), 2);
    const double eps = std::min(1e-8 * (1 + *std::max_element(x.begin(), x.end())), std::sqrt(w));
    for (int k = 0; k < n; ++k) free[k] = !(x[k] <= eps && grad[k] > 0);
    std::vector<double> diag = obj.hessian_diagonal();
    double diag_mean = 0;
    int counted = 0;
    for (int k = 0; k < n; ++k)
      if (free[k] && diag[k] > 0) diag_mean += diag[k], ++counted;
    diag_mean = counted ? diag_mean / counted : 1.0;
    for (int k = 0; k < n; ++k)  // nothing moves a variable without curvature and without gradient
      if (free[k] && diag[k] <= 0 && grad[k] == 0) free[k] = 0;
    // Levenberg-Marquardt damping: the Hessian is singular where the links do not separate
    // pairs (and no prior curves them); mu adapts to the line search's success.
    const double lambda = mu * diag_mean;
    for (int k = 0; k < n; ++k) diag[k] += lambda;
    // Conjugate gradients on (H_FF + lambda I) d = -g_F, diagonal preconditioner.
    std::fill(d.begin(), d.end(), 0.0);
    for (int k = 0; k < n; ++k) r[k] = free[k] ? -grad[k] : 0.0;
    const double r0 = std::sqrt(dot(r, r));
    if (r0 == 0) {
      res.converged = true;
      break;
    }
    auto precondition = [&](const std::vector<double>& in, std::vector<double>& out) {
      for (int k = 0; k < n; ++k) out[k] = free[k] ? in[k] / diag[k] : 0.0;
    };
    precondition(r, z);
    q = z;
    double rz = dot(r, z);
    const int max_cg = std::min(2 * n + 20, 1000);
    for (int c = 0; c < max_cg; ++c) {
      obj.hessian_times(q, free, hd);
      for (int k = 0; k < n; ++k) hd[k] += free[k] ? lambda * q[k] : 0.0;
      const double qhq = dot(q, hd);
      if (qhq <= 0) break;
      const double alpha = rz / qhq;
      for (int k = 0; k < n; ++k) {
        d[k] += alpha * q[k];
        r[k] -= alpha * hd[k];
      }
      ++res.cg_iterations;
      if (std::sqrt(dot(r, r)) <= 1e-10 * r0) break;
      precondition(r, z);
      const double rz_new = dot(r, z);
      const double beta = rz_new / rz;
      rz = rz_new;
      for (int k = 0; k < n; ++k) q[k] = z[k] + beta * q[k];
    }
    double decrement = 0;
    for (int k = 0; k < n; ++k)
      if (free[k]) decrement -= grad[k] * d[k];
    if (decrement <= 0) {  // CG gave no descent direction: fall back to the scaled gradient
      precondition(grad, d);
      for (int k = 0; k < n; ++k) d[k] = -d[k];
    }
    // Armijo search along the projection arc.
    double step = 1, g_new = g;
    bool accepted = false;
    for (int ls = 0; ls < 60; ++ls, step *= 0.5) {
      double predicted = 0;
      for (int k = 0; k < n; ++k) {
        trial[k] = free[k] ? std::max(0.0, x[k] + step * d[k]) : x[k];
        predicted += grad[k] * (trial[k] - x[k]);
      }
      g_new = obj.evaluate(trial, false);
      if (std::isfinite(g_new) && g_new <= g + 1e-4 * predicted) {
        accepted = true;
        break;
      }
    }
    if (!accepted) {  // no decrease along this direction: damp more, or stop at machine precision
      if (decrement > 1e-6 * (1 + std::fabs(g)) && mu < 1e6) {
        mu *= 100;
        continue;
      }
      res.converged = decrement <= 1e-6 * (1 + std::fabs(g));
      break;
    }
    const double drop = g - g_new;
    x.swap(trial);
    g = obj.evaluate(x, true);
    if (decrement / 2 <= tolerance * (1 + std::fabs(g)) && drop <= tolerance * (1 + std::fabs(g))) {
      res.converged = true;
      break;
    }
  }
  res.demand = std::move(x);
  res.objective = g;
  return res;
}

double data_log_likelihood(const MleProblem& p, const std::vector<double>& v) {
  double l = 0;
  for (size_t a = 0; a < p.rows.size(); ++a) {
    const auto& r = p.rows[a];
    if (r.samples == 0) continue;
    if (p.likelihood == OdLikelihood::poisson) {
      if (r.sum > 0 && v[a] <= 0) return -kInf;
      l += (r.sum > 0 ? r.sum * std::log(v[a]) : 0.0) - r.samples * v[a] - r.lgamma_sum;
    } else {
      const double ybar = r.sum / r.samples, s2 = std::max(ybar, 1.0);
      // sum_n (y_n - v)^2 = sum_sq - 2 v S + N v^2
      const double ss = r.sum_sq - 2 * v[a] * r.sum + r.samples * v[a] * v[a];
      l -= ss / (2 * s2) + r.samples * 0.5 * std::log(2 * M_PI * s2);
    }
  }
  return l;
}

Identification identify(const MleProblem& p, const std::vector<double>& demand) {
  const int n = p.num_pairs;
  Identification id;
  id.identified.assign(n, 0);
  id.std_error.assign(n, std::numeric_limits<double>::quiet_NaN());
  const std::vector<double> v = row_flows(p, demand);
  std::vector<int> rows;
  std::vector<double> weight;
  for (size_t a = 0; a < p.rows.size(); ++a) {
    const auto& r = p.rows[a];
    if (r.samples == 0 || r.share.empty()) continue;
    double info = 0;
    if (p.likelihood == OdLikelihood::poisson)
      info = v[a] > 0 ? r.samples / v[a] : 0.0;
    else
      info = r.samples / std::max(r.sum / r.samples, 1.0);
    if (info <= 0) continue;
    rows.push_back(static_cast<int>(a));
    weight.push_back(std::sqrt(info));
  }
  const int m = static_cast<int>(rows.size());
  if (m > 0 && n > 0) {
    std::vector<double> A(static_cast<size_t>(m) * n, 0.0);  // column-major m x n
    for (int i = 0; i < m; ++i)
      for (const auto& [k, s] : p.rows[rows[i]].share) A[static_cast<size_t>(k) * m + i] += weight[i] * s;
    const int kmin = std::min(m, n);
    std::vector<double> S(kmin), U(static_cast<size_t>(m) * kmin), VT(static_cast<size_t>(kmin) * n);
    std::vector<int> iwork(8 * kmin);
    int lwork = -1, info = 0;
    double query = 0;
    const char jobz = 'S';
    dgesdd_(&jobz, &m, &n, A.data(), &m, S.data(), U.data(), &m, VT.data(), &kmin, &query, &lwork, iwork.data(), &info);
    lwork = static_cast<int>(query) + 1;
    std::vector<double> work(lwork);
    dgesdd_(&jobz, &m, &n, A.data(), &m, S.data(), U.data(), &m, VT.data(), &kmin, work.data(), &lwork, iwork.data(),
            &info);
    if (info == 0) {
      const double cut = S.empty() ? 0 : S[0] * 1e-9 * std::max(m, n);
      while (id.rank < kmin && S[id.rank] > cut) ++id.rank;
      for (int k = 0; k < n; ++k) {
        double in_range = 0, var = 0;
        for (int j = 0; j < id.rank; ++j) {
          const double e = VT[static_cast<size_t>(k) * kmin + j];
          in_range += e * e;
          var += e * e / (S[j] * S[j]);
        }
        if (in_range > 1 - 1e-6) {
          id.identified[k] = 1;
          id.std_error[k] = std::sqrt(var);
        }
      }
    }
  }
  for (int k = 0; k < n; ++k) {
    if (id.identified[k]) continue;
    const PriorTerms t = prior_terms(p, k, demand[k]);
    if (t.curv > 0) id.std_error[k] = 1 / std::sqrt(t.curv);
  }
  return id;
}

}  // namespace evs::traffic
