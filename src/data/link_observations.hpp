#pragma once
// Link observations for OD estimation as read from a CSV (io/observations.hpp): one count
// (vehicles per period) or one speed (km/h) of one link in one period.
namespace evs {

struct ObservationRecord {
  int period = 0;
  int from_node = 0, to_node = 0;  // TNTP numbers
  bool is_speed = false;
  double value = 0;                // count (vehicles per period) or speed (km/h)
  int line = 0;
  int column = 0;                  // 1-based column of the value (for messages)
};

}  // namespace evs
