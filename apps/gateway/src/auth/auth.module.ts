import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ApiKeyController } from '../api-keys/api-key.controller';
import { ApiKeyService } from '../api-keys/api-key.service';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { AuthGuard } from './auth.guard';
import { MemberResolver } from './member-resolver.service';
import { MemberTokenService } from './member-token.service';
import { StaffTokenService } from './staff-token.service';

/** Channel API keys, staff tokens, member tokens, and the global guards: authenticate first, then rate-limit. */
@Module({
  imports: [JwtModule.register({})],
  controllers: [ApiKeyController],
  providers: [
    ApiKeyService,
    StaffTokenService,
    MemberTokenService,
    MemberResolver,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [ApiKeyService, StaffTokenService, MemberTokenService],
})
export class AuthModule {}
