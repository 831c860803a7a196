import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MeController } from './me.controller';
import { MemberAdminController } from './member-admin.controller';
import { MemberDataGateway } from './member-data.gateway';
import { MemberSessionGateway } from './member-session.gateway';
import { MemberSignInController } from './member-sign-in.controller';
import { StoreMemberLoginController } from './store-member-login.controller';

/** Members through the gateway: sign-in, /me, staff member pages and store QR login. */
@Module({
  imports: [AuthModule],
  controllers: [MemberSignInController, MeController, MemberAdminController, StoreMemberLoginController],
  providers: [MemberSessionGateway, MemberDataGateway],
})
export class MemberApiModule {}
