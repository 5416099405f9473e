/**
 * What the scripted whales model answers with: seven real species and rounded adult averages from
 * the usual field guides. Omura's whale has no weight on purpose: it was only described in 2003 and
 * few have been weighed, and the schema makes `weight` optional, so the table shows how a missing
 * optional field looks.
 */
import type { Whale } from '../../generated/types/stream-whales.js';

/** The species the demo model streams, in the order it streams them. */
export const WHALE_SPECIES: readonly Whale[] = [
  {
    name: 'Blue whale',
    length: 25,
    weight: 140000,
    ocean: 'All major oceans',
    description: 'The largest animal known to have lived; feeds almost only on krill.',
  },
  {
    name: 'Fin whale',
    length: 20,
    weight: 60000,
    ocean: 'All major oceans',
    description: 'Second longest whale, a fast swimmer with an asymmetric white right jaw.',
  },
  {
    name: 'Sperm whale',
    length: 16,
    weight: 41000,
    ocean: 'Deep waters worldwide',
    description: 'Largest toothed predator; dives beyond 1,000 m to hunt squid.',
  },
  {
    name: 'Humpback whale',
    length: 14,
    weight: 30000,
    ocean: 'All major oceans',
    description: 'Long pectoral fins, acrobatic breaches and the males’ complex songs.',
  },
  {
    name: 'Bowhead whale',
    length: 16,
    weight: 75000,
    ocean: 'Arctic Ocean',
    description: 'Breaks sea ice with its skull and may live for more than 200 years.',
  },
  {
    name: 'Narwhal',
    length: 4.5,
    weight: 1300,
    ocean: 'Arctic Ocean',
    description: 'Small toothed whale; most males grow a spiral tusk up to 3 m long.',
  },
  {
    name: 'Omura’s whale',
    length: 11,
    ocean: 'Indo-Pacific',
    description: 'A rarely seen rorqual, named as a species only in 2003.',
  },
];
