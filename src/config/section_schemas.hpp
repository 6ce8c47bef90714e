#pragma once
// The declarations (name, meaning, unit, default, bounds) of the sections in sections.hpp,
// for a kind to compose into its own Schema (kinds/*/options.cpp).
#include "config/schema.hpp"
#include "config/sections.hpp"

namespace evs::config {

// line_ratings: also the keys of grid/ratings.hpp (kinds that apply them).
Schema<GridOptions> grid_schema(bool line_ratings = false);
Schema<TrafficOptions> traffic_schema();
Schema<StationOptions> station_schema();
Schema<EvOptions> ev_schema();
Schema<ProfileOptions> profile_schema();
Schema<StorageOptions> storage_schema();
Schema<RenewableOptions> renewable_schema();
Schema<TurbineOptions> turbine_schema();
Schema<DemandResponseOptions> dr_schema();
Schema<ResourceOptions> resource_schema();
Schema<DispatchOptions> dispatch_schema();

// Relations between the keys of a section that no single bound expresses (vmin below vmax,
// a storage's SOC window, a turbine's reactive range), reported with both keys; call them
// from a kind's check with the section's dotted key.
void check_grid(const GridOptions& grid, ParseContext& ctx, const std::string& key = "grid");
// Exactly one demand source: trips, or od_estimation.observations.
void check_traffic(const TrafficOptions& traffic, ParseContext& ctx, const std::string& key = "traffic");
void check_resources(const ResourceOptions& resources, ParseContext& ctx, const std::string& key = "resources");

}  // namespace evs::config
