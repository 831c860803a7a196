import type { TccStatusAnswer } from '../coordinator/coordinator.types';
import { decideHeldBranch, DEFAULT_HELD_BRANCH_TIMING } from './held-branch.decision';

const now = new Date('2026-06-01T12:00:00.000Z');
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
const answer = (status: TccStatusAnswer['status'], extra: Partial<TccStatusAnswer> = {}): TccStatusAnswer => ({ gid: 'g1', status, ...extra });

describe('decideHeldBranch: what a participant does with a branch held past its deadline', () => {
  it.each([
    ['no answer (coordinator unreachable)', null, { action: 'keep', recheckAt: at(DEFAULT_HELD_BRANCH_TIMING.unreachableRecheckMs), alert: true }],
    ['unknown transaction (never committed)', answer('unknown'), { action: 'cancel', reason: 'expired' }],
    ['cancelling for its deadline', answer('cancelling', { cause: 'deadline' }), { action: 'cancel', reason: 'expired' }],
    ['cancelling, never decided', answer('cancelling', { cause: 'not-decided' }), { action: 'cancel', reason: 'expired' }],
    ['cancelled by the buyer', answer('cancelled', { cause: 'requested' }), { action: 'cancel', reason: 'cancelled' }],
    ['cancelling after another branch failed', answer('cancelling', { cause: 'try-failed' }), { action: 'cancel', reason: 'cancelled' }],
    ['confirming (paid, Confirm on its way)', answer('confirming'), { action: 'keep', recheckAt: at(DEFAULT_HELD_BRANCH_TIMING.confirmingRecheckMs), alert: false }],
    ['confirmed yet still held here', answer('confirmed'), { action: 'keep', alert: true }],
    ['needs attention', answer('needs_attention'), { action: 'keep', alert: true }],
    ['prepared with a later deadline', answer('prepared', { deadline: at(60_000) }), { action: 'keep', recheckAt: at(60_000 + DEFAULT_HELD_BRANCH_TIMING.deadlineMarginMs), alert: false }],
    ['trying with a later deadline', answer('trying', { deadline: at(5_000) }), { action: 'keep', recheckAt: at(5_000 + DEFAULT_HELD_BRANCH_TIMING.deadlineMarginMs), alert: false }],
    ['prepared past its deadline (a coordinator never says so)', answer('prepared', { deadline: at(-10_000) }), { action: 'keep', alert: true }],
    ['prepared without a deadline', answer('prepared'), { action: 'keep', alert: true }],
  ])('%s', (_name, given, expected) => {
    const decision = decideHeldBranch(given, now);
    const shown = decision.action === 'keep' ? { ...decision, recheckAt: decision.recheckAt.toISOString() } : decision;
    expect(shown).toMatchObject(expected);
  });

  it('never releases a branch the coordinator may still confirm, whatever the deadline says', () => {
    for (const status of ['trying', 'prepared', 'confirming', 'confirmed', 'needs_attention'] as const) {
      for (const deadline of [at(-3_600_000), at(0), at(3_600_000), undefined]) {
        expect(decideHeldBranch(answer(status, deadline ? { deadline } : {}), now).action).toBe('keep');
      }
    }
  });
});
