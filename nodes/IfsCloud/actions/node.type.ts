/** The resource/operation pairs the IFS Cloud node offers. */
export type IfsCloudType = {
	entity: 'get' | 'getMany' | 'create' | 'update' | 'delete' | 'callAction';
};

export type IfsResource = keyof IfsCloudType;
