import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ApiKeyController } from '../api-keys/api-key.controller';
import { ApiKeyService } from '../api-keys/api-key.service';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { AuthGuard } from './auth.guard';
import { StaffTokenService } from './staff-token.service';

/** Channel API keys, staff tokens, and the global guards: authenticate first, then rate-limit. */
@Module({
  imports: [JwtModule.register({})],
  controllers: [ApiKeyController],
  providers: [
    ApiKeyService,
    StaffTokenService,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [ApiKeyService, StaffTokenService],
})
export class AuthModule {}
