import { hasRole, type Session } from './auth/session.js';

/** Where each role starts, and the pages each role has. */
export function homeFor(s: Session): string {
  if (hasRole(s, 'investigator')) return '/my-cases';
  if (hasRole(s, 'supervisor')) return '/approval-queue';
  if (hasRole(s, 'spoc')) return '/requests-queue';
  if (hasRole(s, 'auditor')) return '/audit';
  return '/my-cases';
}

export function navFor(s: Session): [string, string][] {
  const items: [string, string][] = [];
  if (hasRole(s, 'investigator')) items.push(['/my-cases', 'My cases'], ['/open-case', 'Open a case']);
  if (hasRole(s, 'spoc')) items.push(['/requests-queue', 'Requests']);
  if (hasRole(s, 'supervisor')) items.push(['/approval-queue', 'Approvals']);
  if (hasRole(s, 'auditor') || hasRole(s, 'supervisor')) items.push(['/audit', 'Audit'], ['/statistics', 'Statistics']);
  return items;
}
