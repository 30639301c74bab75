import fc from 'fast-check';
import type { DocumentCommand } from './document.commands';
import {
  documentAccess,
  documentDecider,
  initialDocumentState,
  type DocumentAccess,
  type DocumentState,
} from './document.decider';
import { documentStreamName, isDocumentEvent, type DocumentEvent, type ShareAccess } from './document.events';
import { foldEvents } from '../shared/decider';
import { isDomainError, type DomainErrorCode } from '../shared/domain-error';
import { deciderSpec, rejected } from '../testing/decider-spec';
import { meta, sealed } from '../testing/fixtures';

const given = deciderSpec(documentDecider);
const DOC = 'doc-7f3';
const OWNER = 'user_owner';
const WRITER = 'user_writer';
const READER = 'user_reader';
const STRANGER = 'user_stranger';

type Data<T extends DocumentCommand['type']> = Extract<DocumentCommand, { type: T }>['data'];
const create = (data: Partial<Data<'CreateDocument'>> = {}): DocumentCommand => ({
  type: 'CreateDocument',
  data: {
    documentId: DOC,
    ownerId: OWNER,
    title: sealed('t0'),
    body: sealed('b0'),
    ...data,
  },
  metadata: meta,
});
const edit = (actorId: string, change: { title?: string; body?: string }): DocumentCommand => ({
  type: 'EditDocument',
  data: {
    documentId: DOC,
    actorId,
    ...(change.title !== undefined && { title: sealed(change.title) }),
    ...(change.body !== undefined && { body: sealed(change.body) }),
  },
  metadata: meta,
});
const remove = (actorId: string): DocumentCommand => ({ type: 'DeleteDocument', data: { documentId: DOC, actorId }, metadata: meta });
const share = (actorId: string, userId: string, access: ShareAccess): DocumentCommand => ({
  type: 'ShareDocument',
  data: { documentId: DOC, actorId, userId, access },
  metadata: meta,
});
const unshare = (actorId: string, userId: string): DocumentCommand => ({
  type: 'UnshareDocument',
  data: { documentId: DOC, actorId, userId },
  metadata: meta,
});

const created: DocumentEvent = {
  type: 'DocumentCreated',
  data: { documentId: DOC, ownerId: OWNER, title: sealed('t0'), body: sealed('b0') },
};
const shared = (userId: string, access: ShareAccess): DocumentEvent => ({ type: 'DocumentShared', data: { documentId: DOC, userId, access } });
const unshared = (userId: string): DocumentEvent => ({ type: 'DocumentUnshared', data: { documentId: DOC, userId } });
const deleted: DocumentEvent = { type: 'DocumentDeleted', data: { documentId: DOC, ownerId: OWNER } };
const withShares = [created, shared(WRITER, 'write'), shared(READER, 'read')];

describe('document decider', () => {
  describe('CreateDocument', () => {
    it('creates the document with its owner, title and body', () => {
      const state = given([]).when(create()).then([created]);
      expect(documentAccess(state, OWNER)).toBe('owner');
    });

    it('is a conflict when the document exists', () => {
      given([created]).when(create()).then(rejected('document-exists'));
    });

    it('is a conflict when the id belonged to a deleted document', () => {
      given([created, deleted]).when(create()).then(rejected('document-exists'));
    });

    it.each([['title'], ['body']])('rejects a plaintext %s', (member) => {
      given([])
        .when(create({ [member]: 'my secret diary' as never }))
        .then(rejected('invalid-encrypted-value'));
    });

    it.each([['documentId'], ['ownerId']])('rejects an empty %s', (member) => {
      given([])
        .when(create({ [member]: '' }))
        .then(rejected('invalid-id'));
    });
  });

  describe('EditDocument', () => {
    it('lets the owner change the title only', () => {
      const state = given(withShares)
        .when(edit(OWNER, { title: 't1' }))
        .then([{ type: 'DocumentEdited', data: { documentId: DOC, title: sealed('t1') } }]);
      expect(state).toMatchObject({ title: sealed('t1'), body: sealed('b0') });
    });

    it('lets a writer change the body only', () => {
      const state = given(withShares)
        .when(edit(WRITER, { body: 'b1' }))
        .then([{ type: 'DocumentEdited', data: { documentId: DOC, body: sealed('b1') } }]);
      expect(state).toMatchObject({ title: sealed('t0'), body: sealed('b1') });
    });

    it('changes both when both are given', () => {
      given(withShares)
        .when(edit(OWNER, { title: 't1', body: 'b1' }))
        .then([{ type: 'DocumentEdited', data: { documentId: DOC, title: sealed('t1'), body: sealed('b1') } }]);
    });

    it('refuses a reader', () => {
      given(withShares)
        .when(edit(READER, { body: 'b1' }))
        .then(rejected('document-read-only'));
    });

    it('refuses a writer whose access was lowered to read', () => {
      given([...withShares, shared(WRITER, 'read')])
        .when(edit(WRITER, { body: 'b1' }))
        .then(rejected('document-read-only'));
    });

    it('hides the document from a stranger', () => {
      given(withShares)
        .when(edit(STRANGER, { body: 'b1' }))
        .then(rejected('document-not-found'));
    });

    it('hides the document from a former writer', () => {
      given([...withShares, unshared(WRITER)])
        .when(edit(WRITER, { body: 'b1' }))
        .then(rejected('document-not-found'));
    });

    it('does not find a document that does not exist', () => {
      given([])
        .when(edit(OWNER, { body: 'b1' }))
        .then(rejected('document-not-found'));
    });

    it('does not find a deleted document, even for its owner', () => {
      given([created, deleted])
        .when(edit(OWNER, { body: 'b1' }))
        .then(rejected('document-not-found'));
    });

    it('rejects an edit that changes nothing', () => {
      given(withShares).when(edit(OWNER, {})).then(rejected('empty-update'));
    });

    it('rejects a plaintext title', () => {
      given(withShares)
        .when({ type: 'EditDocument', data: { documentId: DOC, actorId: OWNER, title: 'plain' as never }, metadata: meta })
        .then(rejected('invalid-encrypted-value'));
    });

    it('rejects a command addressed to another document than the stream holds', () => {
      given(withShares)
        .when({ type: 'EditDocument', data: { documentId: 'doc-other', actorId: OWNER, title: sealed('x') }, metadata: meta })
        .then(rejected('stream-mismatch'));
    });
  });

  describe('DeleteDocument', () => {
    it('lets the owner delete, after which nobody has access', () => {
      const state = given(withShares).when(remove(OWNER)).then([deleted]);
      expect(state).toEqual<DocumentState>({ status: 'deleted', documentId: DOC, ownerId: OWNER });
      for (const user of [OWNER, WRITER, READER]) expect(documentAccess(state, user)).toBeNull();
    });

    it.each([[WRITER], [READER]])('refuses %s, who can see it but does not own it', (actor) => {
      given(withShares).when(remove(actor)).then(rejected('owner-only'));
    });

    it('hides the document from a stranger', () => {
      given(withShares).when(remove(STRANGER)).then(rejected('document-not-found'));
    });

    it('does not find a document deleted before', () => {
      given([created, deleted]).when(remove(OWNER)).then(rejected('document-not-found'));
    });

    it('does not find a document that does not exist', () => {
      given([]).when(remove(OWNER)).then(rejected('document-not-found'));
    });
  });

  describe('ShareDocument', () => {
    it('lets the owner share read access', () => {
      const state = given([created]).when(share(OWNER, READER, 'read')).then([shared(READER, 'read')]);
      expect(documentAccess(state, READER)).toBe('read');
    });

    it('is idempotent when the same access is already granted', () => {
      given(withShares).when(share(OWNER, WRITER, 'write')).then([]);
    });

    it('changes the access of an existing share', () => {
      const state = given(withShares).when(share(OWNER, READER, 'write')).then([shared(READER, 'write')]);
      expect(documentAccess(state, READER)).toBe('write');
    });

    it('refuses to share with the owner', () => {
      given([created]).when(share(OWNER, OWNER, 'read')).then(rejected('cannot-share-with-owner'));
    });

    it.each([[WRITER], [READER]])('refuses %s, who is not the owner', (actor) => {
      given(withShares).when(share(actor, STRANGER, 'read')).then(rejected('owner-only'));
    });

    it('hides the document from a stranger', () => {
      given(withShares).when(share(STRANGER, STRANGER, 'write')).then(rejected('document-not-found'));
    });

    it('does not find a deleted document', () => {
      given([created, deleted]).when(share(OWNER, READER, 'read')).then(rejected('document-not-found'));
    });

    it('rejects an unknown access level', () => {
      given([created])
        .when(share(OWNER, READER, 'admin' as ShareAccess))
        .then(rejected('invalid-access'));
    });

    it('rejects an empty user id', () => {
      given([created]).when(share(OWNER, '', 'read')).then(rejected('invalid-id'));
    });
  });

  describe('UnshareDocument', () => {
    it('lets the owner remove a share', () => {
      const state = given(withShares).when(unshare(OWNER, READER)).then([unshared(READER)]);
      expect(documentAccess(state, READER)).toBeNull();
      expect(documentAccess(state, WRITER)).toBe('write');
    });

    it('emits nothing when the user has no share', () => {
      given(withShares).when(unshare(OWNER, STRANGER)).then([]);
    });

    it('refuses to unshare the owner', () => {
      given(withShares).when(unshare(OWNER, OWNER)).then(rejected('cannot-share-with-owner'));
    });

    it.each([[WRITER], [READER]])('refuses %s, who is not the owner', (actor) => {
      given(withShares).when(unshare(actor, READER)).then(rejected('owner-only'));
    });

    it('hides the document from a stranger', () => {
      given(withShares).when(unshare(STRANGER, READER)).then(rejected('document-not-found'));
    });

    it('does not find a deleted document', () => {
      given([...withShares, deleted]).when(unshare(OWNER, READER)).then(rejected('document-not-found'));
    });
  });

  describe('documentAccess', () => {
    it('answers owner, write, read or null', () => {
      const state = foldEvents(documentDecider, withShares);
      expect([OWNER, WRITER, READER, STRANGER].map((u) => documentAccess(state, u))).toEqual(['owner', 'write', 'read', null]);
    });

    it('is null on a document that does not exist', () => {
      expect(documentAccess(initialDocumentState(), OWNER)).toBeNull();
    });

    it.each([['__proto__'], ['constructor'], ['toString'], ['hasOwnProperty']])(
      'gives no access to the user id %s through object prototype members',
      (userId) => {
        expect(documentAccess(foldEvents(documentDecider, withShares), userId)).toBeNull();
        given([created]).when(edit(userId, { body: 'x' })).then(rejected('document-not-found'));
      },
    );

    it('shares with a user whose id is __proto__ like with anyone else', () => {
      const state = given([created]).when(share(OWNER, '__proto__', 'write')).then([shared('__proto__', 'write')]);
      expect(documentAccess(state, '__proto__')).toBe('write');
    });
  });

  it('rejects an unknown command type', () => {
    given([created])
      .when({ type: 'ArchiveDocument', data: { documentId: DOC }, metadata: meta } as never)
      .then(rejected('unknown-command'));
  });

  it('ignores an event type it does not know', () => {
    const state = foldEvents(documentDecider, [created]);
    expect(documentDecider.evolve(state, { type: 'DocumentArchived', data: {} } as never)).toBe(state);
  });

  it('names the stream and recognises its events', () => {
    expect(documentStreamName(DOC)).toBe('document-doc-7f3');
    expect(isDocumentEvent(created)).toBe(true);
    expect(isDocumentEvent({ type: 'ProfileUpdated' })).toBe(false);
  });

  describe('property: against a reference model', () => {
    const users = [OWNER, WRITER, READER, STRANGER, '__proto__'];
    // The owner acts most often, so sequences reach shares, edits by sharees and deletions.
    const user = fc.constantFrom(OWNER, ...users);
    const text = fc.constantFrom('a', 'b', 'c');
    const command: fc.Arbitrary<DocumentCommand> = fc.oneof(
      { depthSize: 'max' },
      fc.constant(create()),
      fc
        .record({ actor: user, title: fc.option(text, { nil: undefined }), body: fc.option(text, { nil: undefined }) })
        .map(({ actor, title, body }) => edit(actor, { title, body })),
      user.map(remove),
      fc.tuple(user, user, fc.constantFrom<ShareAccess>('read', 'write')).map(([a, u, access]) => share(a, u, access)),
      fc.tuple(user, user).map(([a, u]) => unshare(a, u)),
    );

    interface Model {
      status: 'absent' | 'live' | 'deleted';
      title?: string;
      body?: string;
      shares: Map<string, ShareAccess>;
    }

    const access = (m: Model, u: string): DocumentAccess | null =>
      m.status !== 'live' ? null : u === OWNER ? 'owner' : (m.shares.get(u) ?? null);

    /** The rules restated independently: the error code, or the model after the command (null = no events). */
    function expected(m: Model, c: DocumentCommand): DomainErrorCode | Model | null {
      switch (c.type) {
        case 'CreateDocument':
          if (m.status !== 'absent') return 'document-exists';
          return { status: 'live', title: c.data.title.$jwe, body: c.data.body.$jwe, shares: new Map() };
        case 'EditDocument': {
          if (c.data.title === undefined && c.data.body === undefined) return 'empty-update';
          const a = access(m, c.data.actorId);
          if (a === null) return 'document-not-found';
          if (a === 'read') return 'document-read-only';
          return { ...m, title: c.data.title?.$jwe ?? m.title, body: c.data.body?.$jwe ?? m.body };
        }
        case 'DeleteDocument': {
          const a = access(m, c.data.actorId);
          if (a === null) return 'document-not-found';
          if (a !== 'owner') return 'owner-only';
          return { status: 'deleted', shares: new Map() };
        }
        case 'ShareDocument':
        case 'UnshareDocument': {
          const a = access(m, c.data.actorId);
          if (a === null) return 'document-not-found';
          if (a !== 'owner') return 'owner-only';
          if (c.data.userId === OWNER) return 'cannot-share-with-owner';
          const shares = new Map(m.shares);
          if (c.type === 'ShareDocument') {
            if (shares.get(c.data.userId) === c.data.access) return null;
            shares.set(c.data.userId, c.data.access);
          } else {
            if (!shares.delete(c.data.userId)) return null;
          }
          return { ...m, shares };
        }
      }
    }

    it('accepts and rejects like the model, and the fold of emitted events is the decider state', () => {
      fc.assert(
        // Most runs start from a created document; the rest exercise commands on an absent one.
        fc.property(fc.boolean(), fc.array(command, { minLength: 1, maxLength: 40, size: 'max' }), (seeded, tail) => {
          const commands = seeded ? [create(), ...tail] : tail;
          let state = documentDecider.initialState();
          let model: Model = { status: 'absent', shares: new Map() };
          const log: DocumentEvent[] = [];
          for (const cmd of commands) {
            const want = expected(model, cmd);
            let events: DocumentEvent[] = [];
            let code: string | undefined;
            try {
              events = documentDecider.decide(cmd, state);
            } catch (error) {
              if (!isDomainError(error)) throw error;
              code = error.code;
            }
            if (typeof want === 'string') {
              expect(code).toBe(want);
              continue;
            }
            expect(code).toBeUndefined();
            expect(events).toHaveLength(want === null ? 0 : 1);
            if (want !== null) model = want;
            log.push(...events);
            state = events.reduce(documentDecider.evolve, state);
            for (const u of users) expect(documentAccess(state, u)).toBe(access(model, u));
            if (state.status === 'live') expect([state.title.$jwe, state.body.$jwe]).toEqual([model.title, model.body]);
          }
          expect(foldEvents(documentDecider, log)).toEqual(state);
          expect(log.every((e) => JSON.stringify(JSON.parse(JSON.stringify(e))) === JSON.stringify(e))).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  });
});
