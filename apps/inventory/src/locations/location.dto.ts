import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsOmittable } from '../movements/dto-rules';
import { IsText } from '@omni/contracts';

/** Kinds of location: where stock can sit. */
export const LOCATION_TYPES = ['warehouse', 'store', 'dark_store'] as const;
/** A kind of location. */
export type LocationType = (typeof LOCATION_TYPES)[number];
/** Whether a location sells/ships now; closed locations keep stock but promise none. */
export const LOCATION_STATUSES = ['open', 'closed'] as const;
/** Opening status of a location. */
export type LocationStatus = (typeof LOCATION_STATUSES)[number];

/** Location codes: short, printable on a shelf label or a pick list. */
export const LOCATION_CODE_PATTERN = /^[A-Za-z0-9._-]{1,32}$/;

const CODE_MESSAGE = '$property must be 1-32 characters of A-Z a-z 0-9 . _ -';
const INT_DAYS = '$property must be an integer between 0 and 365';

/** Body of POST /internal/locations. */
export class CreateLocationDto {
  @Matches(LOCATION_CODE_PATTERN, { message: CODE_MESSAGE })
  code: string;

  @IsText(200)
  name: string;

  @IsIn(LOCATION_TYPES, { message: `$property must be one of ${LOCATION_TYPES.join(', ')}` })
  type: LocationType;

  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' })
  @Min(-90, { message: '$property must be between -90 and 90' })
  @Max(90, { message: '$property must be between -90 and 90' })
  lat: number;

  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' })
  @Min(-180, { message: '$property must be between -180 and 180' })
  @Max(180, { message: '$property must be between -180 and 180' })
  lng: number;

  @IsOmittable()
  @IsIn(LOCATION_STATUSES, { message: `$property must be one of ${LOCATION_STATUSES.join(', ')}` })
  status?: LocationStatus;

  @IsOmittable()
  @IsInt({ message: INT_DAYS })
  @Min(0, { message: INT_DAYS })
  @Max(365, { message: INT_DAYS })
  shipsInDays?: number;
}

/** Body of PATCH /internal/locations/:id: any subset of the create fields. */
export class UpdateLocationDto {
  @IsOmittable()
  @Matches(LOCATION_CODE_PATTERN, { message: CODE_MESSAGE })
  code?: string;

  @IsOmittable()
  @IsText(200)
  name?: string;

  @IsOmittable()
  @IsIn(LOCATION_TYPES, { message: `$property must be one of ${LOCATION_TYPES.join(', ')}` })
  type?: LocationType;

  @IsOmittable()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' })
  @Min(-90, { message: '$property must be between -90 and 90' })
  @Max(90, { message: '$property must be between -90 and 90' })
  lat?: number;

  @IsOmittable()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' })
  @Min(-180, { message: '$property must be between -180 and 180' })
  @Max(180, { message: '$property must be between -180 and 180' })
  lng?: number;

  @IsOmittable()
  @IsIn(LOCATION_STATUSES, { message: `$property must be one of ${LOCATION_STATUSES.join(', ')}` })
  status?: LocationStatus;

  @IsOmittable()
  @IsInt({ message: INT_DAYS })
  @Min(0, { message: INT_DAYS })
  @Max(365, { message: INT_DAYS })
  shipsInDays?: number;
}

/** Query of GET /internal/locations. */
export class ListLocationsQueryDto {
  @IsOptional()
  @IsIn(LOCATION_TYPES, { message: `$property must be one of ${LOCATION_TYPES.join(', ')}` })
  type?: LocationType;

  @IsOptional()
  @IsIn(LOCATION_STATUSES, { message: `$property must be one of ${LOCATION_STATUSES.join(', ')}` })
  status?: LocationStatus;
}

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
