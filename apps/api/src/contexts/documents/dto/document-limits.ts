/** SPEC §7.2 bounds, in UTF-16 code units as JavaScript counts string length. */
export const TITLE_MAX_LENGTH = 200;
export const BODY_MAX_LENGTH = 100_000;
export const PAGE_SIZE_MAX = 100;
export const PAGE_SIZE_DEFAULT = 20;
