// Pins the shapes of the main entry's calls: a changed parameter or result type fails
// `npm run typecheck`.
import type { Readable } from 'node:stream';
import type {
  Digest, Image, ImageInspect, ImportOptions, PullOptions, PushOptions, Registry, RegistryOptions, RemoveOptions,
  SaveOptions, StoreOptions, HistoryItem, FetchedManifest, Descriptor, BlobReadOptions, ListOptions,
  RegistryCredentials, HostInfo, InfoOptions, info, Container, RunOptions, ContainerListOptions, Volume,
  VolumeCreateOptions, VolumeListOptions, VolumeRemoveOptions, VolumePruneOptions,
} from '../../lib/index.js';
import type { Equal, Expect } from './equal.js';

type Fn<T> = T extends (...a: infer A) => infer R ? (...a: A) => R : never;

export type ImageShapes = [
  Expect<Equal<Fn<typeof Image.pull>, (ref: string, opts?: PullOptions) => Promise<Image>>>,
  Expect<Equal<Fn<typeof Image.get>, (ref: string, opts?: StoreOptions) => Promise<Image>>>,
  Expect<Equal<Fn<typeof Image.list>, (opts?: StoreOptions) => Promise<Image[]>>>,
  Expect<Equal<Fn<typeof Image.remove>, (ref: string, opts?: RemoveOptions) => Promise<string[]>>>,
  Expect<Equal<Fn<typeof Image.save>, (refs: string | string[], file: string, opts?: SaveOptions) => Promise<void>>>,
  Expect<Equal<Fn<typeof Image.load>, (file: string, opts?: StoreOptions) => Promise<Image[]>>>,
  Expect<Equal<Fn<typeof Image.import>, (source: Readable | string, opts?: ImportOptions) => Promise<Image>>>,
  Expect<Equal<Fn<Image['push']>, (ref: string, opts?: PushOptions) => Promise<Digest>>>,
  Expect<Equal<Fn<Image['tag']>, (ref: string) => Promise<void>>>,
  Expect<Equal<Fn<Image['inspect']>, () => Promise<ImageInspect>>>,
  Expect<Equal<Fn<Image['history']>, () => Promise<HistoryItem[]>>>,
  Expect<Equal<Image['digest'], Digest>>,
  Expect<Equal<Image['id'], Digest>>,
  Expect<Equal<StoreOptions['root'], string | undefined>>,
];

export type RegistryShapes = [
  Expect<Equal<ConstructorParameters<typeof Registry>, [domain: string, opts?: RegistryOptions]>>,
  Expect<Equal<Fn<Registry['ping']>, (signal?: AbortSignal) => Promise<void>>>,
  Expect<Equal<Fn<Registry['getManifest']>, (repo: string, reference: string, signal?: AbortSignal) => Promise<FetchedManifest>>>,
  Expect<Equal<Fn<Registry['headBlob']>, (repo: string, digest: string, signal?: AbortSignal) => Promise<Descriptor | undefined>>>,
  Expect<Equal<Fn<Registry['blob']>, (repo: string, digest: string, opts?: BlobReadOptions) => Readable>>,
  Expect<Equal<Fn<Registry['listTags']>, (repo: string, opts?: ListOptions) => Promise<string[]>>>,
  Expect<Equal<Fn<Registry['catalog']>, (opts?: ListOptions) => Promise<string[]>>>,
  Expect<Equal<Fn<Registry['login']>, (credentials: RegistryCredentials) => Promise<void>>>,
];

export type ContainerShapes = [
  Expect<Equal<Fn<typeof Container.create>, (image: string | Image, options?: RunOptions) => Promise<Container>>>,
  Expect<Equal<Fn<typeof Container.run>, (image: string | Image, options?: RunOptions) => Promise<Container>>>,
  Expect<Equal<Fn<typeof Container.get>, (ref: string, options?: StoreOptions) => Promise<Container>>>,
  Expect<Equal<Fn<typeof Container.list>, (options?: ContainerListOptions) => Promise<Container[]>>>,
  Expect<Equal<Fn<Container['resize']>, (rows: number, cols: number) => void>>,
  Expect<Equal<RunOptions['root'], string | undefined>>,
  Expect<Equal<ContainerListOptions['root'], string | undefined>>,
];

export type VolumeShapes = [
  Expect<Equal<Fn<typeof Volume.create>, (name?: string, options?: VolumeCreateOptions) => Promise<Volume>>>,
  Expect<Equal<Fn<typeof Volume.get>, (name: string, options?: StoreOptions) => Promise<Volume>>>,
  Expect<Equal<Fn<typeof Volume.list>, (options?: VolumeListOptions) => Promise<Volume[]>>>,
  Expect<Equal<Fn<typeof Volume.remove>, (name: string, options?: VolumeRemoveOptions) => Promise<void>>>,
  Expect<Equal<Fn<typeof Volume.prune>, (options?: VolumePruneOptions) => Promise<string[]>>>,
  Expect<Equal<VolumeCreateOptions['root'], string | undefined>>,
];

export type InfoShape = Expect<Equal<Fn<typeof info>, (opts?: InfoOptions) => Promise<HostInfo>>>;
