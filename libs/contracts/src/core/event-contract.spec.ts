import { IsString } from 'class-validator';
import { defineEvent, EventContract } from './event-contract';

class NoteWrittenEvent {
  @IsString()
  text: string;
}

const valid: EventContract<NoteWrittenEvent> = {
  topic: 'note-written',
  type: 'com.omniretail.notes.note-written.v1',
  version: 1,
  source: 'notes',
  payload: NoteWrittenEvent,
  key: (payload) => payload.text,
  partitions: 3,
  summary: 'A note was written.',
};

describe('defineEvent', () => {
  it('returns a frozen copy of a well-formed contract', () => {
    const contract = defineEvent(valid);
    expect(contract).toEqual(valid);
    expect(Object.isFrozen(contract)).toBe(true);
  });

  it.each([
    ['a topic that is not kebab-case', { topic: 'NoteWritten' }, /kebab-case/],
    ['a version below 1', { version: 0, type: 'com.omniretail.notes.note-written.v0' }, /version/],
    ['zero partitions', { partitions: 0 }, /partitions/],
    ['a type that does not match source, topic and version', { type: 'note.written' }, /type must be 'com.omniretail.notes.note-written.v1'/],
  ])('rejects %s', (_label, change, message) => {
    expect(() => defineEvent({ ...valid, ...change })).toThrow(message);
  });
});
