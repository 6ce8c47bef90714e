#pragma once
// The inner problem of OD estimation (od_estimation.hpp): with the route-choice shares held
// fixed, every observed link's flow is linear in the OD vector, v_a = sum_r M_ar O_r, and
// the estimate maximises the likelihood of the observed counts over O >= 0.
//
// Likelihoods (documented in docs/traffic.md):
//   poisson  sum_a [S_a log v_a - N_a v_a]  (S_a sum of the N_a samples of link a): the
//            maximum-likelihood estimate for independent Poisson counts (the paper's variance
//            Lambda = diag(P'O) without the covariance between links sharing paths)
//   normal   -sum_a N_a (ybar_a - v_a)^2 / (2 s_a^2), s_a^2 = max(ybar_a, 1): the paper's
//            normal approximation with its variance evaluated at the observations (weighted
//            least squares)
// Prior (seed) matrix O0 with weight w: poisson adds w sum_r [O0_r log O_r - O_r] (the prior
// as w pseudo-observations of every OD entry); normal adds -w sum_r (O_r - O0_r)^2 / (2 max(O0_r, 1)).
// Censored links (a speed at free flow): only an upper bound U_c on the flow is known; the
// estimate pays censor_weight * (v_c - U_c)^2 / (2 max(U_c, 1)) where it exceeds it.
//
// Method: projected truncated Newton (Bertsekas 1982): variables at zero whose gradient
// pushes them out stay fixed; the Newton step on the others comes from conjugate gradients
// on the exact Hessian (matrix-free: M' D M + diag), then an Armijo search along the
// projection arc. Work per iteration is O(nnz(M)) per CG step, so OD vectors of thousands of
// entries with a few hundred observed links are cheap.
#include <limits>
#include <utility>
#include <vector>

namespace evs::traffic {

enum class OdLikelihood { poisson, normal };

struct MleRow {                               // one observed link
  std::vector<std::pair<int, double>> share;  // (OD pair, share of its demand on the link)
  double sum = 0;                             // S_a: sum of the samples
  double sum_sq = 0;                          // sum of squared samples (normal log-likelihood)
  double lgamma_sum = 0;                      // sum of lgamma(sample + 1) (Poisson log-likelihood)
  int samples = 0;                            // N_a; 0 for a censored-only link
  double upper = std::numeric_limits<double>::infinity();  // censored: v_a <= upper
};

struct MleProblem {
  int num_pairs = 0;
  std::vector<MleRow> rows;
  OdLikelihood likelihood = OdLikelihood::poisson;
  std::vector<double> prior;  // [pair]; empty = none
  double prior_weight = 0;
  // Poisson only: the prior gives the pattern, the counts the level. Its term becomes the
  // profile over an unknown scale s of sum_r [O0_r log(O_r / s) - O_r / s]:
  // w [sum_r O0_r log O_r - T0 log sum_r O_r] + const (T0 = sum O0), a multinomial
  // likelihood of the shares.
  bool prior_level_free = false;
  double censor_weight = 1;
};

struct MleResult {
  std::vector<double> demand;  // [pair]
  int iterations = 0;
  int cg_iterations = 0;
  bool converged = false;
  double objective = 0;  // the minimised negative penalised log-likelihood (constants dropped)
};

// Flows of the rows at `demand`.
std::vector<double> row_flows(const MleProblem& p, const std::vector<double>& demand);

// Maximises the penalised likelihood from `start` (clipped to >= 0). Stops when the
// projected gradient, relative to the objective's scale, falls below `tolerance`.
MleResult maximise_likelihood(const MleProblem& p, std::vector<double> start, double tolerance = 1e-10,
                              int max_iterations = 200);

// The data's log-likelihood (no prior, no censored rows) at row flows `v`, with its constants
// (Poisson: -sum lgamma(y + 1); normal: -sum log(2 pi s^2) / 2).
double data_log_likelihood(const MleProblem& p, const std::vector<double>& v);

struct Identification {
  int rank = 0;                     // independent observed links (numerical rank of the information)
  std::vector<char> identified;     // [pair] e_r lies in the row space of the observations
  std::vector<double> std_error;    // [pair] from the data's Fisher information where identified;
                                    // elsewhere from the prior alone (sqrt of its inverse
                                    // curvature), NaN without a prior
};

// Fisher information of the data at `demand` (poisson: N_a / v_a per row; normal: N_a / s_a^2),
// by a singular value decomposition of the scaled observation matrix (LAPACK dgesdd).
Identification identify(const MleProblem& p, const std::vector<double>& demand);

}  // namespace evs::traffic
