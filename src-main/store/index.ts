export type { MailflowStore, StoreBackend } from './store';
export { createStore, createMemoryStore } from './store';
export { openStoreFile, STORE_FILE_NAME } from './open-store';
export type { BackendFactory } from './open-store';
export { readStoreData, emptyStoreData, STORE_SCHEMA_VERSION, MAX_HISTORY, StoreDataSchema, HistoryRecordSchema, WindowStateSchema } from './schema';
export type { StoreData, HistoryRecord, WindowState } from './schema';
export { defaultStoreDir, PRODUCT_NAME } from './default-dir';
