import { Module } from '@nestjs/common';
import { LocationController } from './location.controller';
import { LocationService } from './location.service';

/** Locations: warehouses, stores and dark stores with coordinates and opening status. */
@Module({ controllers: [LocationController], providers: [LocationService], exports: [LocationService] })
export class LocationsModule {}
