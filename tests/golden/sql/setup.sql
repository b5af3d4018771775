CREATE OR REPLACE TEMP VIEW emp AS SELECT * FROM VALUES
  (1, 'Alice', 'eng', 120.50, DATE '2020-01-15', NULL),
  (2, 'Bob', 'eng', 99.00, DATE '2019-03-01', 1),
  (3, 'Carol', 'ops', 87.25, DATE '2021-07-30', 1),
  (4, 'Dan', 'ops', 87.25, DATE '2018-11-11', 3),
  (5, 'Eve', NULL, 150.00, DATE '2022-02-28', 1)
  AS emp(id, name, dept, salary, hired, manager);
CREATE OR REPLACE TEMP VIEW dept AS SELECT * FROM VALUES ('eng', 'Engineering'), ('ops', 'Operations'), ('hr', 'People') AS dept(code, title);
