/**
 * Arrival and departure points of 2020's mass evacuations, with their coordinates for road
 * times from the arrival (WGS84, rounded to about 100 m; read off OpenStreetMap station
 * nodes: planning estimates, not routing). Anywhere else can be typed without coordinates.
 */
export interface KnownPlace {
  name: string;
  lat: number;
  lon: number;
}

export const KNOWN_PLACES: readonly KnownPlace[] = [
  { name: 'Gare de Strasbourg', lat: 48.5851, lon: 7.7346 },
  { name: 'Gare de Mulhouse', lat: 47.7417, lon: 7.343 },
  { name: 'Paris Gare de Lyon', lat: 48.8443, lon: 2.3744 },
  { name: 'Paris Gare Montparnasse', lat: 48.8409, lon: 2.3206 },
  { name: 'Paris Gare d’Austerlitz', lat: 48.8422, lon: 2.3656 },
  { name: 'Gare de Rennes', lat: 48.1035, lon: -1.6722 },
  { name: 'Gare de Brest', lat: 48.3884, lon: -4.4786 },
  { name: 'Gare de Nantes', lat: 47.2173, lon: -1.542 },
  { name: 'Gare d’Angers Saint-Laud', lat: 47.4644, lon: -0.5566 },
  { name: 'Gare de Bordeaux Saint-Jean', lat: 44.8259, lon: -0.5563 },
  { name: 'Gare de Poitiers', lat: 46.5823, lon: 0.3334 },
  { name: 'Gare de Marseille Saint-Charles', lat: 43.3027, lon: 5.3804 },
  { name: 'Aéroport de Brest Bretagne', lat: 48.4479, lon: -4.4185 },
  { name: 'Aéroport de Bordeaux-Mérignac', lat: 44.8283, lon: -0.7156 },
  { name: 'Base aérienne 123 Orléans-Bricy', lat: 47.9878, lon: 1.7606 },
  { name: 'Port de Toulon', lat: 43.1197, lon: 5.9294 },
];
