/**
 * Finds the gettext catalogs of a language: `<locale dir>/<locale>/LC_MESSAGES/<package>.mo`
 * under `/usr/share/locale` (and `/usr/share/locale-langpack` where it exists). French reads the
 * locales `fr` and `fr_FR`; Chinese reads `zh_CN` (simplified) and `zh_TW` (traditional) is its
 * own language, never mixed in. The package name is the file name without `.mo`.
 *
 *   findCatalogs('fr'); // [{ package: 'bash', locale: 'fr', path: '/usr/share/locale/fr/LC_MESSAGES/bash.mo' }, …]
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkInputDir } from '@dlpipe/core';
import { CorpusError } from '../errors.js';

/** The target languages pairs are built for (English is always the source). */
export const PAIR_LANGS = ['fr', 'zh', 'zh_TW'] as const;
export type PairLang = (typeof PAIR_LANGS)[number];

/** The locale folders read for each language. */
export const LOCALES_OF: Record<PairLang, readonly string[]> = {
  fr: ['fr', 'fr_FR'],
  zh: ['zh_CN'],
  zh_TW: ['zh_TW'],
};

/** Where Debian installs catalogs (the second only with Ubuntu's language packs). */
export const DEFAULT_LOCALE_DIRS = ['/usr/share/locale', '/usr/share/locale-langpack'] as const;

/** Debian packages whose catalogs give many clean pairs (each adds 100–4,000 en–fr and en–zh pairs). */
export const CATALOG_PACKAGES = [
  'libc-l10n',
  'coreutils',
  'tar',
  'grep',
  'sed',
  'findutils',
  'diffutils',
  'bash',
  'gettext',
  'util-linux-locales',
  'e2fsprogs-l10n',
  'gawk',
  'nano',
  'cpio',
  'wget',
  'make',
  'gnupg-l10n',
] as const;

/** One catalog file. */
export interface CatalogFile {
  /** The file name without `.mo` (the gettext domain, usually the package). */
  package: string;
  /** The locale folder it sits in (`fr`, `fr_FR`, `zh_CN` …). */
  locale: string;
  path: string;
}

function catalogsIn(dir: string, locale: string): CatalogFile[] {
  const folder = join(dir, locale, 'LC_MESSAGES');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.mo') && statSync(join(folder, f)).isFile())
    .map((f) => ({ package: f.slice(0, -3), locale, path: join(folder, f) }));
}

/**
 * The catalogs of `lang`, sorted by package, then locale, then folder. Given folders must exist
 * (a PathError otherwise); the default folders are read where they exist. No catalog at all is a
 * CorpusError saying which Debian packages to install.
 */
export function findCatalogs(lang: PairLang, localeDirs?: readonly string[]): CatalogFile[] {
  const locales = LOCALES_OF[lang];
  let dirs: readonly string[];
  if (localeDirs && localeDirs.length > 0) {
    for (const d of localeDirs) checkInputDir(d, 'locale folder (--locale-dir)');
    dirs = localeDirs;
  } else {
    dirs = DEFAULT_LOCALE_DIRS.filter((d) => existsSync(d));
  }
  const found = dirs.flatMap((d) => locales.flatMap((l) => catalogsIn(d, l)));
  if (found.length === 0) {
    const where = locales.map((l) => `${l}/LC_MESSAGES/*.mo`).join(', ');
    throw new CorpusError(
      `no gettext catalogs for '${lang}': found no ${where} under ${dirs.join(', ') || DEFAULT_LOCALE_DIRS.join(', ')}. ` +
        `Install some (as root: apt-get install ${CATALOG_PACKAGES.join(' ')}) or pass --locale-dir with a folder holding <locale>/LC_MESSAGES/*.mo.`,
    );
  }
  const order = (c: CatalogFile) => [c.package, c.locale, c.path];
  return found.sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    for (let i = 0; i < x.length; i++) {
      const c = (x[i] as string) < (y[i] as string) ? -1 : (x[i] as string) > (y[i] as string) ? 1 : 0;
      if (c !== 0) return c;
    }
    return 0;
  });
}
