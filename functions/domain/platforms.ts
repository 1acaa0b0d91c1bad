import type { PLATFORMS } from '../schemas/api.js';

export type Platform = (typeof PLATFORMS)[number];

/**
 * What differs between platforms, kept as data: whether they tell their user
 * about a request unless barred (tip-off risk), where requests go, and which
 * identifier they want first.
 */
export interface PlatformProfile {
  name: string;
  notifiesUser: boolean;
  portal: string;
  preferredIdentifier: 'platformUserId' | 'handle' | 'url';
  preservesRecords: boolean;
}

export const PLATFORM_PROFILES: Record<Platform, PlatformProfile> = {
  meta: {
    name: 'Meta (Facebook)',
    notifiesUser: false,
    portal: 'Meta Law Enforcement Online Request System',
    preferredIdentifier: 'platformUserId',
    preservesRecords: true,
  },
  instagram: {
    name: 'Instagram',
    notifiesUser: false,
    portal: 'Meta Law Enforcement Online Request System',
    preferredIdentifier: 'platformUserId',
    preservesRecords: true,
  },
  whatsapp: {
    name: 'WhatsApp',
    notifiesUser: false,
    portal: 'Meta Law Enforcement Online Request System',
    preferredIdentifier: 'handle',
    preservesRecords: true,
  },
  google: {
    name: 'Google',
    notifiesUser: true,
    portal: 'Google Law Enforcement Request System',
    preferredIdentifier: 'handle',
    preservesRecords: true,
  },
  youtube: {
    name: 'YouTube',
    notifiesUser: true,
    portal: 'Google Law Enforcement Request System',
    preferredIdentifier: 'url',
    preservesRecords: true,
  },
  x: {
    name: 'X',
    notifiesUser: true,
    portal: 'X Legal Request Submission',
    preferredIdentifier: 'platformUserId',
    preservesRecords: true,
  },
  snap: {
    name: 'Snapchat',
    notifiesUser: false,
    portal: 'Snap Law Enforcement Service Site',
    preferredIdentifier: 'handle',
    preservesRecords: true,
  },
  tiktok: {
    name: 'TikTok',
    notifiesUser: false,
    portal: 'TikTok Law Enforcement Portal',
    preferredIdentifier: 'platformUserId',
    preservesRecords: true,
  },
  microsoft: {
    name: 'Microsoft',
    notifiesUser: false,
    portal: 'Microsoft Law Enforcement Request Portal',
    preferredIdentifier: 'handle',
    preservesRecords: true,
  },
  discord: {
    name: 'Discord',
    notifiesUser: false,
    portal: 'Discord Government Request Portal',
    preferredIdentifier: 'platformUserId',
    preservesRecords: true,
  },
  other: {
    name: 'Other provider',
    notifiesUser: true,
    portal: 'By arrangement with the provider',
    preferredIdentifier: 'url',
    preservesRecords: false,
  },
};
