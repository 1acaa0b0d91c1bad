import { PLATFORM_PROFILES } from './platforms.js';
import type { CaseRecord, RequestRecord } from './records.js';
import { documentDate } from './englandDates.js';
import { policy } from './policy.js';

/**
 * The document a SPoC submits through a platform's or an ISP's portal. It
 * carries the authorisation, the identifiers the provider wants, exactly the
 * data asked for, and, where the provider tells its users, a request not to.
 * It never carries the victim's details or the case summary.
 */
export interface RequestDocument {
  title: string;
  reference: string;
  blocks: { heading: string; lines: string[] }[];
}

/**
 * What a platform is asked for, by the type of data the authorisation covers
 * (Investigatory Powers Act 2016 s.261): entity data says who holds the
 * account; events data, when and from where it was used. A request asks for
 * nothing the authorisation does not cover.
 */
const PLATFORM_DATA: Record<'entity' | 'events', string[]> = {
  entity: [
    'Subscriber name, email addresses and telephone numbers on the account',
    'Date the account was created (length of service)',
  ],
  events: [
    'Registration IP address, with date, time and time zone',
    'Login IP addresses with date, time, time zone and source port, for the period of the authorisation',
  ],
};

/** Resolving an IP address at a time to the subscriber who held it is entity data. */
const ISP_DATA = [
  'The subscriber to whom the address was assigned at that time',
  'The INSTALLATION address of the service (not the billing address)',
  'Account start date',
];

export function requestDocument(kase: CaseRecord, r: RequestRecord, now: string): RequestDocument {
  const auth = kase.authorisation;
  const authorisation = auth
    ? [
        `Reference ${auth.reference}: ${auth.route === 'ocda' ? 'authorised by the Office for Communications Data Authorisations' : 'urgent authorisation by a designated senior officer (s.61A)'}`,
        `Investigatory Powers Act 2016, Part 3; data type: ${auth.dataType} data; valid until ${auth.expiresAt}`,
      ]
    : ['No authorisation is recorded: this request must not be sent.'];
  const common = { reference: `${kase.crimeReference} / ${r.requestId}`, authorisation };
  if (r.kind === 'isp_resolution') {
    return {
      title: 'Request for subscriber details of an IP address',
      reference: common.reference,
      blocks: [
        { heading: 'Authorisation', lines: common.authorisation },
        {
          heading: 'The connection',
          lines: [
            `IP address: ${r.ip}`,
            ...(r.atCandidates
              ? [
                  `Time (UTC): ${r.atCandidates[0]} or ${r.atCandidates[1]}`,
                  'The platform gave a local time that the clocks showed twice (when they went back): please give the subscriber at each of the two times.',
                ]
              : [`Time (UTC): ${r.eventAt}`]),
            r.port !== undefined ? `Source port: ${r.port}` : 'Source port: not given by the platform',
          ],
        },
        ...(r.flags?.includes('cgnat_without_port')
          ? [
              {
                heading: 'Shared address',
                lines: [
                  'This address is in the carrier-grade NAT range (100.64.0.0/10) and no source port is known: please say if the subscriber cannot be singled out.',
                ],
              },
            ]
          : []),
        auth && auth.dataType !== 'entity'
          ? {
              heading: 'Data requested',
              lines: [
                `The authorisation covers ${auth.dataType} data only; the subscriber of an address is entity data: this request must not be sent until entity data is authorised.`,
              ],
            }
          : { heading: 'Data requested', lines: ISP_DATA },
        { heading: 'Date of request', lines: [documentDate(now).printed] },
      ],
    };
  }
  const account = kase.accounts.find((a) => a.accountId === r.accountId);
  const profile = PLATFORM_PROFILES[account?.platform ?? 'other'];
  const identifiers = [
    ...(account?.platformUserId
      ? [
          `Platform user id: ${account.platformUserId}${profile.preferredIdentifier === 'platformUserId' ? ' (preferred by this provider)' : ''}`,
        ]
      : []),
    `Handle: ${account?.handle ?? r.accountHandle ?? 'unknown'}${profile.preferredIdentifier === 'handle' ? ' (preferred by this provider)' : ''}`,
    ...(account?.url ? [`Profile URL: ${account.url}`] : []),
  ];
  const preservation = r.kind === 'platform_preservation';
  return {
    title: preservation
      ? `Preservation request to ${profile.name}`
      : `Request for basic subscriber information from ${profile.name}`,
    reference: common.reference,
    blocks: [
      { heading: 'Submit through', lines: [profile.portal] },
      { heading: 'Authorisation', lines: common.authorisation },
      { heading: 'The account', lines: identifiers },
      preservation
        ? {
            heading: 'Request',
            lines: [
              `Please preserve all records of this account for ${policy.preservationDays} days while a disclosure request is prepared (18 U.S.C. 2703(f) where it applies).`,
            ],
          }
        : { heading: 'Data requested', lines: PLATFORM_DATA[auth?.dataType ?? 'entity'] },
      ...(profile.notifiesUser
        ? [
            {
              heading: 'Non-disclosure',
              lines: [
                'Please do not notify the account holder of this request: notice could endanger the person the account targets and harm the investigation.',
              ],
            },
          ]
        : []),
      { heading: 'Date of request', lines: [documentDate(now).printed] },
    ],
  };
}
