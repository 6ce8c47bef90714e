#include "pipeline/prepared_study.hpp"

#include "core/error.hpp"
#include "io/matpower.hpp"
#include "io/tntp.hpp"

namespace evs::pipeline {

PreparedStudy prepare_study(const config::Study& study) {
  config::check_study_references(study);  // throws ConfigError with every problem
  PreparedStudy p;
  p.study = study;
  p.grid = build_grid_network(read_matpower_case(study.grid.case_file));
  p.road = read_tntp_network(study.traffic.network_file);
  p.trips = read_tntp_trips(study.traffic.trips_file);
  validate_demand(p.road, p.trips);
  return p;
}

}  // namespace evs::pipeline
