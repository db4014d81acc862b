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
