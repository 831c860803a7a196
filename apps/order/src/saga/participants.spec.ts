import { INVENTORY_BRANCH_REQUESTED, MEMBER_BRANCH_REQUESTED, MemberBranchRequestedEvent, PRICING_BRANCH_REQUESTED, PricingBranchRequestedEvent } from '@omni/contracts';
import { BranchTx, ManualClock, ParticipantRegistry, TccCommand } from '@omni/tcc';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { rejectionsOf } from './order-saga.listener';
import {
  INVENTORY_PARTICIPANT,
  InventoryBranchData,
  MEMBER_PARTICIPANT,
  MemberBranchData,
  orderSagaBranches,
  orderSagaParticipants,
  PRICING_PARTICIPANT,
  PricingBranchData,
} from './participants';

const GID = '0190a0a0-0000-7000-8000-000000000001';
const QUOTE = '0190a0a0-0000-7000-8000-0000000000aa';
const inventory: InventoryBranchData = { channel: 'app', lines: [{ sku: 'TEA-1', quantity: 2, locationId: '0190a0a0-0000-7000-8000-0000000000bb' }], lineNos: [0] };
const quote: PricingBranchData = { channel: 'app', quoteId: QUOTE };
const member: MemberBranchData = {
  channel: 'app',
  memberId: '0190a0a0-0000-7000-8000-0000000000cc',
  couponIds: ['0190a0a0-0000-7000-8000-0000000000dd'],
  points: 300,
  giftCardId: '0190a0a0-0000-7000-8000-0000000000ee',
  giftCardAmount: 1200,
};

function ids(): () => string {
  let n = 0;
  return () => `0190a0a0-0000-7000-8000-00000000010${n++}`;
}

describe('orderSagaBranches', () => {
  it('begins with the inventory branch only when the order names no quote', () => {
    expect(orderSagaBranches(inventory, null, ids())).toEqual([{ branchId: '0190a0a0-0000-7000-8000-000000000100', participant: INVENTORY_PARTICIPANT, data: inventory }]);
  });

  it('adds a pricing branch, with its own id, for an order with a quote', () => {
    const branches = orderSagaBranches(inventory, quote, ids());
    expect(branches.map((b) => b.participant)).toEqual([INVENTORY_PARTICIPANT, PRICING_PARTICIPANT]);
    expect(branches[1].data).toEqual(quote);
    expect(new Set(branches.map((b) => b.branchId)).size).toBe(2);
  });

  it('adds a member branch, with its own id, for an order spending the wallet', () => {
    const branches = orderSagaBranches(inventory, null, ids(), member);
    expect(branches.map((b) => b.participant)).toEqual([INVENTORY_PARTICIPANT, MEMBER_PARTICIPANT]);
    expect(branches[1].data).toEqual(member);
    const all = orderSagaBranches(inventory, quote, ids(), member);
    expect(all.map((b) => b.participant)).toEqual([INVENTORY_PARTICIPANT, PRICING_PARTICIPANT, MEMBER_PARTICIPANT]);
    expect(new Set(all.map((b) => b.branchId)).size).toBe(3);
  });
});

describe('orderSagaParticipants', () => {
  const clock = new ManualClock(new Date('2025-06-01T10:00:00.000Z'));
  const sent: { topic: string; payload: Record<string, unknown> }[] = [];
  const registry = new ParticipantRegistry(
    { add: async (_tx, contract, payload) => void sent.push({ topic: contract.topic, payload: payload as Record<string, unknown> }) },
    orderSagaParticipants(clock),
  );
  const command = (op: TccCommand['op'], participant: string, data: Record<string, unknown>): TccCommand => ({
    gid: GID,
    branchId: '0190a0a0-0000-7000-8000-000000000200',
    participant,
    op,
    deadline: '2025-06-01T10:15:00.000Z',
    data,
  });

  beforeEach(() => sent.splice(0));

  it('registers inventory, member and pricing', () => {
    expect(registry.names().sort()).toEqual([INVENTORY_PARTICIPANT, MEMBER_PARTICIPANT, PRICING_PARTICIPANT]);
  });

  it.each(['try', 'confirm', 'cancel'] as const)('sends a valid member-branch-requested naming what it settles on %s', async (op) => {
    await registry.send({ query: async () => [] }, command(op, MEMBER_PARTICIPANT, member));
    expect(sent).toHaveLength(1);
    expect(sent[0].topic).toBe(MEMBER_BRANCH_REQUESTED.topic);
    expect(sent[0].payload).toEqual({
      schemaVersion: 1,
      occurredAt: '2025-06-01T10:00:00.000Z',
      gid: GID,
      branchId: '0190a0a0-0000-7000-8000-000000000200',
      op,
      deadline: '2025-06-01T10:15:00.000Z',
      channel: 'app',
      memberId: member.memberId,
      couponIds: member.couponIds,
      points: 300,
      giftCardId: member.giftCardId,
      giftCardAmount: 1200,
    });
    expect(validateSync(plainToInstance(MemberBranchRequestedEvent, sent[0].payload), { whitelist: true, forbidNonWhitelisted: true })).toEqual([]);
  });

  it('sends no gift card id for a member branch spending none', async () => {
    await registry.send({ query: async () => [] }, command('try', MEMBER_PARTICIPANT, { ...member, giftCardId: undefined, giftCardAmount: 0 }));
    expect(sent[0].payload).not.toHaveProperty('giftCardId');
    expect(validateSync(plainToInstance(MemberBranchRequestedEvent, sent[0].payload))).toEqual([]);
  });

  it.each(['try', 'confirm', 'cancel'] as const)('sends a valid pricing-branch-requested naming the quote on %s', async (op) => {
    await registry.send({ query: async () => [] }, command(op, PRICING_PARTICIPANT, quote));
    expect(sent).toHaveLength(1);
    expect(sent[0].topic).toBe(PRICING_BRANCH_REQUESTED.topic);
    expect(sent[0].payload).toEqual({
      schemaVersion: 1,
      occurredAt: '2025-06-01T10:00:00.000Z',
      gid: GID,
      branchId: '0190a0a0-0000-7000-8000-000000000200',
      op,
      deadline: '2025-06-01T10:15:00.000Z',
      channel: 'app',
      quoteId: QUOTE,
    });
    expect(validateSync(plainToInstance(PricingBranchRequestedEvent, sent[0].payload))).toEqual([]);
  });

  it('still sends inventory lines on Try only', async () => {
    await registry.send({ query: async () => [] }, command('try', INVENTORY_PARTICIPANT, inventory));
    await registry.send({ query: async () => [] }, command('cancel', INVENTORY_PARTICIPANT, inventory));
    expect(sent.map((s) => s.topic)).toEqual([INVENTORY_BRANCH_REQUESTED.topic, INVENTORY_BRANCH_REQUESTED.topic]);
    expect(sent[0].payload.lines).toEqual(inventory.lines);
    expect(sent[1].payload).not.toHaveProperty('lines');
  });
});

describe('rejectionsOf', () => {
  const branch = (participant: string, data: Record<string, unknown>, reply: BranchTx['reply']): BranchTx => ({
    gid: GID,
    branchId: `0190a0a0-0000-7000-8000-00000000030${participant.length}`,
    participant,
    status: reply?.outcome === 'failure' ? 'try_failed' : 'tried',
    data,
    reply,
    attempts: 1,
  });

  it("maps inventory's Try line indexes to order line numbers", () => {
    const inv = branch(INVENTORY_PARTICIPANT, { ...inventory, lineNos: [3, 5] }, { outcome: 'failure', reasons: [{ line: 1, code: 'INSUFFICIENT_STOCK', message: 'short' }] });
    expect(rejectionsOf([inv])).toEqual([{ lineNo: 5, code: 'INSUFFICIENT_STOCK', message: 'short' }]);
  });

  it('names an order line split over two locations once when both Try lines are short for the same reason', () => {
    const reason = { code: 'SOLD_OUT_GATE', message: 'TEA-1: channel app can promise 1' };
    const inv = branch(INVENTORY_PARTICIPANT, { ...inventory, lineNos: [0, 0, 1] }, { outcome: 'failure', reasons: [{ line: 0, ...reason }, { line: 1, ...reason }, { line: 2, ...reason }] });
    expect(rejectionsOf([inv])).toEqual([{ lineNo: 0, ...reason }, { lineNo: 1, ...reason }]);
  });

  it("gives pricing's reasons to the whole order with pricing's codes, next to inventory's", () => {
    const inv = branch(INVENTORY_PARTICIPANT, inventory, { outcome: 'failure', reasons: [{ line: 0, code: 'INSUFFICIENT_STOCK', message: 'short' }] });
    const pricing = branch(PRICING_PARTICIPANT, quote, { outcome: 'failure', reasons: [{ line: -1, code: 'QUOTE_EXPIRED', message: 'quote expired at …' }] });
    expect(rejectionsOf([inv, pricing])).toEqual([
      { lineNo: 0, code: 'INSUFFICIENT_STOCK', message: 'short' },
      { lineNo: -1, code: 'QUOTE_EXPIRED', message: 'quote expired at …' },
    ]);
  });

  it('ignores branches whose Try held or is unanswered, and never maps a pricing line index to an order line', () => {
    const held = branch(INVENTORY_PARTICIPANT, inventory, { outcome: 'success', reasons: [] });
    const pending = branch(PRICING_PARTICIPANT, quote, null);
    const odd = branch(PRICING_PARTICIPANT, { ...quote, lineNos: [7] }, { outcome: 'failure', reasons: [{ line: 0, code: 'QUOTE_NOT_FOUND', message: 'no quote' }] });
    expect(rejectionsOf([held, pending, odd])).toEqual([{ lineNo: -1, code: 'QUOTE_NOT_FOUND', message: 'no quote' }]);
  });
});
