/** SPEC §4: the notary's stream. Its events are chained and signed like any other but are not Merkle leaves. */
export const CHECKPOINT_STREAM = 'audit-checkpoints';
/** SPEC §4: the only event type of the checkpoint stream. */
export const CHECKPOINT_SIGNED = 'CheckpointSigned';
/** SPEC §4: witnessed checkpoints (CheckpointCosigned), enveloped but not Merkle leaves. */
export const COSIGNATURE_STREAM = 'audit-cosignatures';
/** SPEC §4: the only event type of the cosignature stream. */
export const CHECKPOINT_COSIGNED = 'CheckpointCosigned';
