// Development tool: prints a staff token signed with STAFF_JWT_SECRET (the dev default when unset).
//   node -r @swc-node/register apps/gateway/src/auth/mint-staff-token.ts <staff-id> <role>[,<role>...] [ttl-seconds]
import { JwtService } from '@nestjs/jwt';
import { loadConfig } from '@omni/platform';
import { GatewayEnv } from '../config/gateway.config';
import { STAFF_ROLES, type StaffRole } from './principal';
import { StaffTokenService } from './staff-token.service';

const [staffId, roleList, ttl] = process.argv.slice(2);
const roles = (roleList ?? '').split(',').filter((r) => r.length > 0);
const unknown = roles.filter((r) => !STAFF_ROLES.includes(r as StaffRole));
if (!staffId || roles.length === 0 || unknown.length > 0 || (ttl !== undefined && !/^\d+$/.test(ttl))) {
  process.stderr.write(`usage: mint-staff-token <staff-id> <role>[,<role>...] [ttl-seconds]\nroles: ${STAFF_ROLES.join(', ')}\n`);
  process.exit(2);
}
const env = loadConfig(GatewayEnv, process.env, { service: 'gateway', defaultPort: 3000 });
const token = new StaffTokenService(new JwtService(), env).sign(staffId, roles as StaffRole[], ttl ? Number(ttl) : 8 * 3600);
process.stdout.write(`${token}\n`);
