export { AmazonSellingPartnerApi } from './credentials/AmazonSellingPartnerApi.credentials';
export { IfsCloudEventApi } from './credentials/IfsCloudEventApi.credentials';
export { IfsCloudOAuth2Api } from './credentials/IfsCloudOAuth2Api.credentials';
export { AmazonSellerCentral } from './nodes/AmazonSellerCentral/AmazonSellerCentral.node';
export { AmazonSellerCentralTrigger } from './nodes/AmazonSellerCentral/AmazonSellerCentralTrigger.node';
export { IfsCloud } from './nodes/IfsCloud/IfsCloud.node';
export { IfsCloudEventTrigger } from './nodes/IfsCloud/IfsCloudEventTrigger.node';
export { IfsCloudTrigger } from './nodes/IfsCloud/IfsCloudTrigger.node';
