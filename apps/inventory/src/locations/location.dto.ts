/** Location kinds, statuses and the bodies of /internal/locations live in @omni/contracts (shared with the gateway). */
export {
  CreateLocationBody as CreateLocationDto,
  ListLocationsQuery as ListLocationsQueryDto,
  LOCATION_CODE_PATTERN,
  LOCATION_STATUSES,
  LOCATION_TYPES,
  UpdateLocationBody as UpdateLocationDto,
  type LocationStatus,
  type LocationType,
} from '@omni/contracts';
import type { LocationStatus, LocationType } from '@omni/contracts';

/** A location as the API returns it. */
export interface LocationView {
  id: string;
  code: string;
  name: string;
  type: LocationType;
  lat: number;
  lng: number;
  status: LocationStatus;
  shipsInDays: number;
  createdAt: string;
}
