import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { IsId } from '@omni/contracts';
import { CreateLocationDto, ListLocationsQueryDto, LocationView, UpdateLocationDto } from './location.dto';
import { LocationService } from './location.service';

/** Route params naming one location. */
export class LocationIdParamDto {
  @IsId()
  id: string;
}

/** Internal HTTP API of locations (ops console and store systems, through the gateway). */
@Controller('internal/locations')
export class LocationController {
  constructor(private readonly locations: LocationService) {}

  /** Creates a location. */
  @Post()
  create(@Body() body: CreateLocationDto): Promise<LocationView> {
    return this.locations.create(body);
  }

  /** Lists locations, filtered by type and status. */
  @Get()
  list(@Query() query: ListLocationsQueryDto): Promise<LocationView[]> {
    return this.locations.list(query);
  }

  /** One location. */
  @Get(':id')
  get(@Param() params: LocationIdParamDto): Promise<LocationView> {
    return this.locations.get(params.id);
  }

  /** Edits some fields of a location (e.g. closes a store). */
  @Patch(':id')
  update(@Param() params: LocationIdParamDto, @Body() body: UpdateLocationDto): Promise<LocationView> {
    return this.locations.update(params.id, body);
  }
}
