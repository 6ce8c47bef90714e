#pragma once
// Counter-based random numbers (Random123 Philox4x32-10). A stream is keyed by
// (study seed, scenario id, stream id), so a scenario's draws do not depend on which rank
// runs it or in what order: the same key always gives the same sequence.
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace evs {

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint64_t scenario, std::uint32_t stream) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    counter_ = {{0, stream, static_cast<std::uint32_t>(scenario), static_cast<std::uint32_t>(scenario >> 32)}};
  }

  // Uniform on (0, 1), never exactly 0 or 1.
  double uniform() {
    if (used_ == 4) refill();
    return (static_cast<double>(block_[used_++]) + 0.5) / 4294967296.0;
  }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  double normal(double mean = 0, double sd = 1) {
    // Box-Muller; the second value is discarded to keep the sequence position simple.
    const double u1 = uniform(), u2 = uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  double lognormal(double mu, double sigma) { return std::exp(normal(mu, sigma)); }

 private:
  void refill() {
    block_ = philox_(counter_, key_);
    ++counter_[0];
    used_ = 0;
  }
  r123::Philox4x32 philox_;
  r123::Philox4x32::ctr_type counter_{};
  r123::Philox4x32::key_type key_{};
  r123::Philox4x32::ctr_type block_{};
  int used_ = 4;
};

// Stream ids, one per use, so adding a use never shifts another's numbers.
enum RandomStreamId : std::uint32_t { stream_ev_trips = 1, stream_profiles = 2, stream_design = 3, stream_od_error = 4 };

}  // namespace evs
