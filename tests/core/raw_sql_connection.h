#pragma once

// A second, plain Qt SQL connection to a store's file, for what the store's API does not offer on
// purpose: reading the file's header as another program would, tampering with rows, and planting a
// trigger that makes one chosen row fail. Tests that include it link Qt6::Sql.

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <filesystem>
#include <string>

namespace waferscope::testing::store {

class RawSqlConnection
{
public:
    explicit RawSqlConnection(const std::filesystem::path &file)
        : m_name(QStringLiteral("raw-%1").arg(nextNumber()))
    {
        m_database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_database.setDatabaseName(QString::fromStdString(file.string()));
        m_isOpen = m_database.open();
    }

    RawSqlConnection(const RawSqlConnection &) = delete;
    RawSqlConnection &operator=(const RawSqlConnection &) = delete;

    ~RawSqlConnection()
    {
        m_database.close();
        m_database = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }

    [[nodiscard]] bool isOpen() const { return m_isOpen; }

    /// Runs one statement; returns SQLite's error text, empty when it succeeded.
    [[nodiscard]] std::string execute(const QString &sql)
    {
        QSqlQuery query(m_database);
        return query.exec(sql) ? std::string() : query.lastError().databaseText().toStdString();
    }

    /// The first column of the first row, or an invalid QVariant when there is none or it failed.
    [[nodiscard]] QVariant scalar(const QString &sql)
    {
        QSqlQuery query(m_database);
        return query.exec(sql) && query.next() ? query.value(0) : QVariant();
    }

private:
    static int nextNumber()
    {
        static int next = 0;
        return ++next;
    }

    QString m_name;
    QSqlDatabase m_database;
    bool m_isOpen = false;
};

} // namespace waferscope::testing::store
