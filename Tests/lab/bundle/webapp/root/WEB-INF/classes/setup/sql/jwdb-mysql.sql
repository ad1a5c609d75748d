-- STAND-IN, NOT JOGET: a small schema with a few Joget-like table names, shipped inside the
-- joget-cluster rehearsal lab's stand-in jw.war at WEB-INF/classes/setup/sql/jwdb-mysql.sql.
-- Load it into an empty schema:  mysql jwedb < jwdb-mysql.sql  (may be loaded again: no errors).

/*!40101 SET NAMES utf8mb4 */;

CREATE TABLE IF NOT EXISTS `dir_user` (
  `id` varchar(255) NOT NULL,
  `username` varchar(255) DEFAULT NULL,
  `password` varchar(255) DEFAULT NULL,
  `firstName` varchar(255) DEFAULT NULL,
  `lastName` varchar(255) DEFAULT NULL,
  `email` longtext DEFAULT NULL,
  `timeZone` varchar(255) DEFAULT NULL,
  `locale` varchar(255) DEFAULT NULL,
  `active` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `dir_role` (
  `id` varchar(255) NOT NULL,
  `name` varchar(255) DEFAULT NULL,
  `description` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `dir_user_role` (
  `roleId` varchar(255) NOT NULL,
  `userId` varchar(255) NOT NULL,
  PRIMARY KEY (`userId`, `roleId`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `app_app` (
  `appId` varchar(255) NOT NULL,
  `appVersion` bigint(20) NOT NULL,
  `name` varchar(255) DEFAULT NULL,
  `published` bit(1) DEFAULT NULL,
  `dateCreated` datetime DEFAULT NULL,
  `dateModified` datetime DEFAULT NULL,
  `license` text DEFAULT NULL,
  `description` longtext DEFAULT NULL,
  `meta` longtext DEFAULT NULL,
  PRIMARY KEY (`appId`, `appVersion`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `wf_process_link` (
  `processId` varchar(255) NOT NULL,
  `parentProcessId` varchar(255) DEFAULT NULL,
  `originProcessId` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`processId`),
  KEY `idx_origin` (`originProcessId`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `wf_setup` (
  `id` varchar(255) NOT NULL,
  `property` varchar(255) DEFAULT NULL,
  `value` longtext DEFAULT NULL,
  `ordering` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT IGNORE INTO `dir_role` (`id`, `name`, `description`) VALUES
  ('ROLE_ADMIN', 'Admin', 'Administrator'),
  ('ROLE_USER', 'User', 'Normal User');
INSERT IGNORE INTO `dir_user` (`id`, `username`, `password`, `firstName`, `lastName`, `active`) VALUES
  ('admin', 'admin', 'stand-in: not a real hash', 'Admin', 'Admin', 1);
INSERT IGNORE INTO `dir_user_role` (`roleId`, `userId`) VALUES ('ROLE_ADMIN', 'admin');
INSERT IGNORE INTO `wf_setup` (`id`, `property`, `value`, `ordering`) VALUES
  ('lab-standin', 'standInSchema', 'joget-cluster rehearsal lab', 0);
