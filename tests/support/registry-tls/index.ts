export { createTlsMaterial, type TlsMaterial } from './tls-material';
export {
  startTlsRegistry,
  type TlsRegistry,
  type TlsRegistryOptions,
  type RegistryResponse,
} from './registry';
export {
  bringLoopbackUp,
  enterRegistryHost,
  inPrivateNamespaces,
  namespaceIds,
  outsideNamespacesEnv,
  type HostRedirect,
  type NamespaceIds,
} from './namespace';
