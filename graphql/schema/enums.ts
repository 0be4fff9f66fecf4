import { PORTAL_ACTIONS } from '../../core/lifecycle.ts';
import { ADD_ONS, AUDIENCES, LICENSE_TYPES, PORTAL_TYPES } from '../../vocabulary/catalog.ts';
import { INSTANCE_ROLES } from '../../vocabulary/roles.ts';
import { PACKAGE_STATUSES, PORTAL_STATUSES, RESOURCE_STATUSES } from '../../vocabulary/statuses.ts';
import { builder } from '../builder.ts';

export const AudienceEnum = builder.enumType('Audience', { values: AUDIENCES });
export const PortalTypeEnum = builder.enumType('PortalType', { values: PORTAL_TYPES });
export const AddOnEnum = builder.enumType('AddOn', { values: ADD_ONS });
export const LicenseTypeEnum = builder.enumType('LicenseType', { values: LICENSE_TYPES });
export const PortalStatusEnum = builder.enumType('PortalStatus', { values: PORTAL_STATUSES });
export const ResourceStatusEnum = builder.enumType('ResourceStatus', { values: RESOURCE_STATUSES });
export const PackageStatusEnum = builder.enumType('PackageStatus', { values: PACKAGE_STATUSES });
export const InstanceRoleEnum = builder.enumType('InstanceRole', { values: INSTANCE_ROLES });
export const PortalActionEnum = builder.enumType('PortalAction', { values: PORTAL_ACTIONS });
