import { PickType } from '@nestjs/swagger';
import { MemberBranchRequestedEvent } from '@omni/contracts';

/** The fields of a member branch, as the saga's Kafka command carries them (one schema, two transports). */
const BRANCH_FIELDS = ['gid', 'branchId', 'memberId', 'channel', 'couponIds', 'points', 'giftCardId', 'giftCardAmount'] as const;

/** Confirm or Cancel of a member branch over HTTP: the command's fields, validated by the command's own rules. */
export class MemberBranchDto extends PickType(MemberBranchRequestedEvent, BRANCH_FIELDS) {}

/** Try of a member branch over HTTP: also the order's payment deadline, until which what is frozen stays frozen. */
export class MemberBranchTryDto extends PickType(MemberBranchRequestedEvent, [...BRANCH_FIELDS, 'deadline'] as const) {}
