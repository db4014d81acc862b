/**
 * Veilig Thuis regions and their municipalities. A VT worker reads the families of its region.
 * The demo region: the 16 municipalities of South Limburg (Regiovisie Zuid-Limburg 2024-2031).
 */
export const regions = {
  'zuid-limburg': [
    'Beekdaelen',
    'Beek',
    'Brunssum',
    'Eijsden-Margraten',
    'Gulpen-Wittem',
    'Heerlen',
    'Kerkrade',
    'Landgraaf',
    'Maastricht',
    'Meerssen',
    'Simpelveld',
    'Sittard-Geleen',
    'Stein',
    'Vaals',
    'Valkenburg aan de Geul',
    'Voerendaal',
  ],
} as const satisfies Record<string, readonly string[]>;

export type RegionCode = keyof typeof regions;

export function regionOf(municipality: string): RegionCode | undefined {
  for (const [code, list] of Object.entries(regions) as [RegionCode, readonly string[]][]) {
    if (list.includes(municipality)) return code;
  }
  return undefined;
}

export const allMunicipalities: readonly string[] = Object.values(regions).flat();

/**
 * Inhabitants per municipality on 1 January 2024, for the figures per 10,000 inhabitants.
 * Source: CBS StatLine, "Bevolkingsontwikkeling; regio per maand" / "Regionale kerncijfers
 * Nederland" (table 70072ned), Bevolking op 1 januari 2024, municipal boundaries of 2024.
 * Not checked against StatLine from this machine (it reaches no site but the package registries):
 * the figures were entered by hand and should be compared with the table before they are relied
 * on; they set only the per-10,000 figures, nothing else.
 * A municipality missing here has no per-10,000 figure.
 */
export const populations: Readonly<Record<string, number>> = {
  Beekdaelen: 35_954,
  Beek: 15_657,
  Brunssum: 27_963,
  'Eijsden-Margraten': 25_629,
  'Gulpen-Wittem': 14_160,
  Heerlen: 87_510,
  Kerkrade: 45_635,
  Landgraaf: 37_231,
  Maastricht: 122_378,
  Meerssen: 18_838,
  Simpelveld: 10_547,
  'Sittard-Geleen': 91_723,
  Stein: 24_882,
  Vaals: 10_022,
  'Valkenburg aan de Geul': 16_384,
  Voerendaal: 12_424,
};

/** The inhabitants of these municipalities together, or null when any of them is unknown (or none is given). */
export function populationOf(municipalities: readonly string[]): number | null {
  if (municipalities.length === 0) return null;
  let total = 0;
  for (const m of municipalities) {
    const n = populations[m];
    if (n === undefined) return null;
    total += n;
  }
  return total;
}
