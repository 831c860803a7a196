import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { MemberEnv, otpSenderOf } from '../config/member.config';
import { DEFAULT_OTP_POLICY, PersonalDataHasher, type OtpPolicy } from '../domain';
import { MembersModule } from '../members/members.module';
import { MemberService } from '../members/member.service';
import { MEMBER_CLOCK } from '../shared/member.tokens';
import { DevFileOtpSender, NoOtpSender, OTP_SENDER, type OtpSender } from './otp.sender';
import { SessionService } from './session.service';
import { SessionStore } from './session.store';
import { SignInController } from './sign-in.controller';
import { SignInService } from './sign-in.service';
import { StoreLoginService } from './store-login.service';

const OTP_POLICY = Symbol('OTP_POLICY');
const DAY_MS = 86_400_000;

/** Sign-in for frontends: one-time codes by phone, refresh-token sessions, store QR logins. */
@Module({
  imports: [MembersModule],
  controllers: [SignInController],
  providers: [
    { provide: OTP_POLICY, inject: [SERVICE_CONFIG], useFactory: (env: MemberEnv): OtpPolicy => ({ ...DEFAULT_OTP_POLICY, ttlMs: env.MEMBER_OTP_TTL_SECONDS * 1000 }) },
    { provide: OTP_SENDER, inject: [SERVICE_CONFIG], useFactory: (env: MemberEnv): OtpSender => (otpSenderOf(env) === 'dev-file' ? new DevFileOtpSender(env.MEMBER_OTP_SINK_FILE) : new NoOtpSender()) },
    { provide: SessionStore, inject: [PersonalDataHasher, SERVICE_CONFIG], useFactory: (hasher: PersonalDataHasher, env: MemberEnv) => new SessionStore(hasher, env.MEMBER_REFRESH_TTL_DAYS * DAY_MS) },
    {
      provide: SignInService,
      inject: [DataSource, PersonalDataHasher, MemberService, SessionStore, OTP_SENDER, MEMBER_CLOCK, OTP_POLICY],
      useFactory: (ds: DataSource, hasher: PersonalDataHasher, members: MemberService, sessions: SessionStore, sender: OtpSender, clock: Clock, policy: OtpPolicy) =>
        new SignInService(ds, hasher, members, sessions, sender, clock, policy),
    },
    {
      provide: SessionService,
      inject: [DataSource, PersonalDataHasher, SessionStore, MEMBER_CLOCK],
      useFactory: (ds: DataSource, hasher: PersonalDataHasher, store: SessionStore, clock: Clock) => new SessionService(ds, hasher, store, clock),
    },
    { provide: StoreLoginService, inject: [DataSource, MEMBER_CLOCK], useFactory: (ds: DataSource, clock: Clock) => new StoreLoginService(ds, clock) },
  ],
})
export class SignInModule {}
