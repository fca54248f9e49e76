export { IfsCloudOAuth2Api } from './credentials/IfsCloudOAuth2Api.credentials';
export { IfsCloud } from './nodes/IfsCloud/IfsCloud.node';
