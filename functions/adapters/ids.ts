import { randomUUID } from 'node:crypto';

/** A new id for a record (approval, request, fault, ...): random, so it says nothing about the case or its order. */
export const newId = () => randomUUID();
